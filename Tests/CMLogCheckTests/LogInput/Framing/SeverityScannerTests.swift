import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow

/// The vector scan must say exactly what CMTrace's plain rule says, at every
/// position and in every case, including words that straddle the 16-byte steps.
@Suite struct SeverityScannerTests {
    func naive(_ text: String) -> Severity {
        let lower = text.lowercased()
        if lower.contains("error") || lower.contains("fail") { return .error }
        return lower.contains("warn") ? .warning : .info
    }

    func scan(_ text: String) -> Severity {
        Array(text.utf8).withUnsafeBytes { SeverityScanner.severity(of: $0) }
    }

    @Test("every word at every offset, in every case, agrees with the plain rule")
    func everyOffset() {
        for word in ["error", "ERROR", "Error", "fail", "FAILED", "warn", "Warning", "WARN", "err", "fai", "war", "erro"] {
            for offset in 0..<40 {
                for tail in 0..<20 {
                    let text = String(repeating: "x", count: offset) + word + String(repeating: "y", count: tail)
                    #expect(scan(text) == naive(text), "\(text)")
                }
            }
        }
    }

    @Test("a deterministic stream of random texts agrees with the plain rule")
    func random() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("eErRoOfFaAiIlLwWnN xyz.:[]".utf8)
        for _ in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 58) + Int((state >> 20) & 63)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(scan(text) == naive(text), "\(text)")
        }
        #expect(scan("") == .info)
    }
}
