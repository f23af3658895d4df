import Foundation

/// A PNG decoded to its pixels, for the browser test to look at a screenshot
/// without a library: chunks, zlib's DEFLATE (stored, fixed and dynamic Huffman
/// blocks) and the five scanline filters, for 8-bit greyscale, RGB and RGBA
/// images without interlacing (what Chromium writes). Anything else throws.
struct PNGImage {
    struct Failure: Error, CustomStringConvertible { var description: String }

    var width: Int
    var height: Int
    /// Bytes per pixel: 1 (grey), 3 (RGB) or 4 (RGBA).
    var channels: Int
    /// The unfiltered pixels, `channels` bytes each, row after row.
    var samples: [UInt8]

    init(_ data: [UInt8]) throws {
        guard data.count > 8, Array(data[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Failure(description: "not a PNG") }
        var offset = 8
        var idat: [UInt8] = []
        var header: (width: Int, height: Int, depth: UInt8, colour: UInt8, interlace: UInt8)?
        func u32(_ at: Int) -> Int { Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3]) }
        while offset + 12 <= data.count {
            let length = u32(offset)
            let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = offset + 8
            guard body + length + 4 <= data.count else { throw Failure(description: "chunk \(type) runs past the end") }
            switch type {
            case "IHDR": header = (u32(body), u32(body + 4), data[body + 8], data[body + 9], data[body + 12])
            case "IDAT": idat += data[body..<(body + length)]
            default: break
            }
            offset = body + length + 4
            if type == "IEND" { break }
        }
        guard let header else { throw Failure(description: "no IHDR") }
        guard header.depth == 8, header.interlace == 0 else { throw Failure(description: "bit depth \(header.depth), interlace \(header.interlace) not supported") }
        let channels: Int
        switch header.colour {
        case 0: channels = 1
        case 2: channels = 3
        case 6: channels = 4
        default: throw Failure(description: "colour type \(header.colour) not supported")
        }
        guard idat.count > 2 else { throw Failure(description: "no image data") }
        var inflater = Inflater(idat, from: 2)  // after the two-byte zlib header
        let raw = try inflater.inflate()
        let stride = header.width * channels
        guard raw.count >= (stride + 1) * header.height else { throw Failure(description: "image data too short: \(raw.count) bytes") }
        width = header.width
        height = header.height
        self.channels = channels
        // Unfiltering runs over every byte: through unsafe buffers, so that a debug build stays quick.
        let height = header.height
        var rows = [UInt8](repeating: 0, count: stride * height)
        var badFilter: (row: Int, filter: UInt8)?
        raw.withUnsafeBufferPointer { raw in
            rows.withUnsafeMutableBufferPointer { rows in
                for y in 0..<height {
                    let filter = raw[y * (stride + 1)]
                    let source = y * (stride + 1) + 1
                    let row = y * stride
                    switch filter {
                    case 0: for x in 0..<stride { rows[row + x] = raw[source + x] }
                    case 1:
                        for x in 0..<stride { rows[row + x] = raw[source + x] &+ (x >= channels ? rows[row + x - channels] : 0) }
                    case 2:
                        for x in 0..<stride { rows[row + x] = raw[source + x] &+ (y > 0 ? rows[row - stride + x] : 0) }
                    case 3:
                        for x in 0..<stride {
                            let a = x >= channels ? Int(rows[row + x - channels]) : 0, b = y > 0 ? Int(rows[row - stride + x]) : 0
                            rows[row + x] = raw[source + x] &+ UInt8((a + b) / 2)
                        }
                    case 4:
                        for x in 0..<stride {
                            let a = x >= channels ? Int(rows[row + x - channels]) : 0
                            let b = y > 0 ? Int(rows[row - stride + x]) : 0
                            let c = x >= channels && y > 0 ? Int(rows[row - stride + x - channels]) : 0
                            let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                            rows[row + x] = raw[source + x] &+ UInt8(pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
                        }
                    default:
                        badFilter = (y, filter)
                        return
                    }
                }
            }
        }
        if let badFilter { throw Failure(description: "filter \(badFilter.filter) on row \(badFilter.row)") }
        samples = rows
    }

    /// How many pixels have each colour (RGB as 0xRRGGBB; alpha left out).
    func histogram() -> [UInt32: Int] {
        var counts: [UInt32: Int] = [:]
        samples.withUnsafeBufferPointer { samples in
            // Runs of one colour (most of a page) are counted once per run.
            var run: UInt32 = 0, length = 0
            for index in 0..<(width * height) {
                let at = index * channels
                let key = channels == 1 ? UInt32(samples[at]) * 0x010101
                    : UInt32(samples[at]) << 16 | UInt32(samples[at + 1]) << 8 | UInt32(samples[at + 2])
                if key == run { length += 1; continue }
                if length > 0 { counts[run, default: 0] += length }
                run = key
                length = 1
            }
            if length > 0 { counts[run, default: 0] += length }
        }
        return counts
    }
}

/// RFC 1951 DEFLATE, enough for a PNG's image data.
private struct Inflater {
    let input: [UInt8]
    var position: Int
    var bitBuffer: UInt32 = 0
    var bitCount = 0
    var output: [UInt8] = []

    init(_ input: [UInt8], from start: Int) {
        self.input = input
        position = start
    }

    mutating func bits(_ count: Int) throws -> Int {
        while bitCount < count {
            guard position < input.count else { throw PNGImage.Failure(description: "DEFLATE data ends early") }
            bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt32(count)) - 1))
        bitBuffer >>= UInt32(count)
        bitCount -= count
        return value
    }

    /// A canonical Huffman code: counts per length and symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        init(lengths: [Int]) {
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<16 { offsets[length] = offsets[length - 1] + counts[length - 1] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length > 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    mutating func decode(_ code: Huffman) throws -> Int {
        var value = 0, first = 0, index = 0
        for length in 1..<16 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - count < first { return code.symbols[index + value - first] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw PNGImage.Failure(description: "bad Huffman code")
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    mutating func inflate() throws -> [UInt8] {
        var last = false
        while !last {
            last = try bits(1) == 1
            switch try bits(2) {
            case 0:
                bitBuffer = 0
                bitCount = 0
                guard position + 4 <= input.count else { throw PNGImage.Failure(description: "stored block header cut off") }
                let length = Int(input[position]) | Int(input[position + 1]) << 8
                position += 4
                guard position + length <= input.count else { throw PNGImage.Failure(description: "stored block cut off") }
                output += input[position..<(position + length)]
                position += length
            case 1:
                let literal = Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
                let distance = Huffman(lengths: [Int](repeating: 5, count: 30))
                try block(literal, distance)
            case 2:
                let literals = try bits(5) + 257, distances = try bits(5) + 1, codeLengths = try bits(4) + 4
                let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
                var lengthLengths = [Int](repeating: 0, count: 19)
                for index in 0..<codeLengths { lengthLengths[order[index]] = try bits(3) }
                let lengthCode = Huffman(lengths: lengthLengths)
                var lengths: [Int] = []
                while lengths.count < literals + distances {
                    let symbol = try decode(lengthCode)
                    switch symbol {
                    case 0..<16: lengths.append(symbol)
                    case 16:
                        guard let previous = lengths.last else { throw PNGImage.Failure(description: "repeat with no length") }
                        lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
                    case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
                    default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
                    }
                }
                try block(Huffman(lengths: Array(lengths[0..<literals])), Huffman(lengths: Array(lengths[literals..<(literals + distances)])))
            default:
                throw PNGImage.Failure(description: "reserved block type")
            }
        }
        return output
    }

    mutating func block(_ literal: Huffman, _ distance: Huffman) throws {
        while true {
            let symbol = try decode(literal)
            if symbol < 256 {
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let index = symbol - 257
                guard index < Self.lengthBase.count else { throw PNGImage.Failure(description: "bad length symbol") }
                let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
                let code = try decode(distance)
                guard code < Self.distanceBase.count else { throw PNGImage.Failure(description: "bad distance symbol") }
                let back = Self.distanceBase[code] + (try bits(Self.distanceExtra[code]))
                guard back <= output.count else { throw PNGImage.Failure(description: "distance before the start") }
                let start = output.count - back
                if back >= length {
                    output.append(contentsOf: output[start..<(start + length)])
                } else {
                    for offset in 0..<length { output.append(output[start + offset]) }
                }
            }
        }
    }
}
