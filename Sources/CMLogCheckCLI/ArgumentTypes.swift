import ArgumentParser
import LogInput
import LogAnalysis
import LogReport
import LogFollow
import FoundationEssentials

// The values options take, parsed by ArgumentParser itself: a bad value stops the
// run before any work with a message that names the option and lists what it takes
// (closed sets) or shows its help (durations, times), `--help` lists the choices,
// and shell completion offers them. Commands never switch on option strings.

/// `review --format`.
enum ReportFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, html, github, junit, sarif
}

/// `tail --format`.
enum TailFormat: String, CaseIterable, ExpressibleByArgument {
    case text, jsonl

    var writerFormat: TailWriter.Format {
        switch self {
        case .text: .text
        case .jsonl: .jsonl
        }
    }
}

/// `review --time`: the choices are the report stage's own.
extension TimeChoice: ExpressibleByArgument {}

/// `--color`.
enum ColorChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, always, never

    /// Whether to colour, given where the output goes and the environment (NO_COLOR, TERM).
    func enabled(isTerminal: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        Style.decide(rawValue, isTerminal: isTerminal, environment: environment)
    }
}

/// `review --fail-on`: the least severe finding that makes the exit status 1.
enum FailThreshold: String, CaseIterable, ExpressibleByArgument {
    case error, warning, info, never

    /// Nil for `never`: no finding fails the run.
    var severity: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .info: .info
        case .never: nil
        }
    }
}

/// `tail --exit-on`: the least severe alert that ends the session with exit 1.
enum AlertThreshold: String, CaseIterable, ExpressibleByArgument {
    case error, warning

    var severity: Severity {
        switch self {
        case .error: .error
        case .warning: .warning
        }
    }
}

/// `--log-format` (and `records --format`): a line format, or `auto` to detect it per input.
enum LogFormatChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, cmtrace, simple, copy, plain

    /// Nil for `auto`.
    var forced: LogFormat? { self == .auto ? nil : LogFormat(rawValue: rawValue) }
}

/// `--log`: which log piped or renamed input is. Takes the short names listed, the
/// logs' own names (`CMGatewaySyncUploadWorker`) and the aliases `LogKind` knows, in any case.
enum LogChoice: String, CaseIterable, ExpressibleByArgument {
    case sync, notification, generic, bgb, client
    case adminService = "admin-service", restProvider = "rest-provider", endpointCheck = "endpoint-check", console, scripts
    /// Not one of the known logs: every rule is tried and the events tell.
    case unknown

    init?(argument: String) {
        guard let kind = LogKind(argument: argument) else { return nil }
        switch kind {
        case .syncUpload: self = .sync
        case .notification: self = .notification
        case .genericUpload: self = .generic
        case .bgbServer: self = .bgb
        case .notificationAgent: self = .client
        case .adminService: self = .adminService
        case .restProvider: self = .restProvider
        case .endpointCheck: self = .endpointCheck
        case .adminConsole: self = .console
        case .scripts: self = .scripts
        case .unknown: self = .unknown
        }
    }

    var kind: LogKind {
        switch self {
        case .sync: .syncUpload
        case .notification: .notification
        case .generic: .genericUpload
        case .bgb: .bgbServer
        case .client: .notificationAgent
        case .adminService: .adminService
        case .restProvider: .restProvider
        case .endpointCheck: .endpointCheck
        case .console: .adminConsole
        case .scripts: .scripts
        case .unknown: .unknown
        }
    }
}

/// `review --inventory-date-order`, in any case.
enum DateOrderChoice: String, CaseIterable, ExpressibleByArgument {
    case dmy, mdy

    init?(argument: String) { self.init(rawValue: argument.lowercased()) }

    /// Shown beside each value in `--help`.
    var defaultValueDescription: String {
        switch self {
        case .dmy: "day first: 03/04/2020 is 3 April"
        case .mdy: "month first: 03/04/2020 is 4 March"
        }
    }

    var order: DateOrder {
        switch self {
        case .dmy: .dayFirst
        case .mdy: .monthFirst
        }
    }
}

/// `review --inventory-utc-offset`: minutes east of UTC (`+01:00`, `-0500`, `UTC+2`, `Z`).
struct UTCOffset: ExpressibleByArgument {
    let minutes: Int

    init?(argument: String) {
        guard let minutes = InventoryReadOptions.parseOffset(argument) else { return nil }
        self.minutes = minutes
    }
}

/// `review --at`: when staleness is judged.
enum EvaluationTime: ExpressibleByArgument {
    /// The clock when the review runs.
    case now
    /// A time with an offset or `Z`: an instant.
    case instant(Instant)
    /// A time without an offset: the logs' own clock (docs/clocks.md).
    case wallClock(CivilTime)

    init?(argument: String) {
        if argument.lowercased() == "now" {
            self = .now
        } else if let instant = Instant(iso8601: argument) {
            if EvaluationTime.hasOffset(argument) {
                self = .instant(instant)
            } else {
                self = .wallClock(CivilTime(utc: instant))  // read without an offset: the same fields
            }
        } else {
            return nil
        }
    }

    /// Whether ISO 8601 text ends in `Z` or a `+hh:mm`/`-hhmm` offset after its clock.
    static func hasOffset(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix("Z") || trimmed.hasSuffix("z") { return true }
        guard let clockStart = trimmed.firstIndex(where: { $0 == "T" || $0 == "t" || $0 == " " }) else { return false }
        return trimmed[clockStart...].contains { $0 == "+" || $0 == "-" }
    }

    var moment: EvaluationMoment {
        switch self {
        case .now: .instant(Instant(ticks: Int64(Date().timeIntervalSince1970 * Double(Instant.ticksPerSecond))))
        case .instant(let instant): .instant(instant)
        case .wallClock(let civil): .wallClock(civil)
        }
    }
}

/// A time zone from the system's database (`--tz Europe/Amsterdam`, `--tz local`).
struct ZoneChoice: ExpressibleByArgument {
    let rule: ZoneRule

    init?(argument: String) {
        guard let rule = ZoneRule(argument) else { return nil }
        self.rule = rule
    }
}

/// A length of time on the command line (`--grace`, `--interval`, `--cycle-gap`):
/// numbers with units `s`, `m`, `h`, `d`, summed (`10m`, `90s`, `1h30m`, `1.5h`), or
/// a bare number of seconds. At most a year: beyond that it is a typo, and times in
/// ticks must never overflow.
struct TimeSpan: ExpressibleByArgument, Equatable, CustomStringConvertible {
    let seconds: Double

    /// The forms, for help and messages.
    static let forms = "10m, 90s or 1h30m"
    static let longest: Double = 366 * 86400

    init(seconds: Double) { self.seconds = seconds }

    static func minutes(_ value: Double) -> TimeSpan { TimeSpan(seconds: value * 60) }

    init?(argument: String) {
        guard let seconds = TimeSpan.parse(argument) else { return nil }
        self.seconds = seconds
    }

    /// The value in the form it is written: `10m`, `7m30s`, `1d2h` (whole seconds).
    var description: String {
        var rest = Int(seconds.rounded())
        guard rest > 0 else { return "0s" }
        var text = ""
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    var defaultValueDescription: String { description }

    static func parse(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var sawUnit = false
        for byte in text.lowercased().utf8 where byte != UInt8(ascii: " ") {
            // ASCII digits only: `Double` would refuse other scripts' digits anyway.
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") {
                number.append(Character(Unicode.Scalar(byte)))
                continue
            }
            guard let value = Double(number) else { return nil }
            switch byte {
            case UInt8(ascii: "s"): total += value
            case UInt8(ascii: "m"): total += value * 60
            case UInt8(ascii: "h"): total += value * 3600
            case UInt8(ascii: "d"): total += value * 86400
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        if !number.isEmpty {
            // A bare number is seconds, but not as the tail of `1m30`: that is ambiguous.
            guard let value = Double(number), !sawUnit else { return nil }
            total += value
        } else if !sawUnit {
            return nil
        }
        guard total.isFinite, total <= longest else { return nil }
        return total
    }
}
