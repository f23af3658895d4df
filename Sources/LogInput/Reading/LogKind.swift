import LogMatching
/// Which writer a log comes from. Known from the file name when there is one.
package enum LogKind: String, CaseIterable, Sendable, Codable {
    case syncUpload = "CMGatewaySyncUploadWorker"
    case notification = "CMGatewayNotificationWorker"
    case genericUpload = "GenericUploadWorker"
    case bgbServer = "BgbServer"
    case notificationAgent = "CcmNotificationAgent"
    /// The SMS Provider's administration service: every admin-center feature beyond the
    /// device actions goes through it (documented-knowledge.md §1.5).
    case adminService = "AdminService"
    /// The SMS Provider's health checks and certificate for the administration service (§1.5).
    case restProvider = "SMS_REST_PROVIDER"
    /// The service connection point's checks of the internet endpoints it needs (§1.4).
    case endpointCheck = "EndpointConnectivityCheckWorker"
    /// The console: onboarding and sign-in, where TLS 1.2 failures show (§1.6).
    case adminConsole = "SMSAdminUI"
    /// The client's script runs, started by CMPivot and scripts from the admin center (§1.9).
    case scripts = "Scripts"
    case unknown

    /// The tenant attach logs: the ones a folder is read for (and `tail` waits for), in that order.
    package static let known: [LogKind] = [.syncUpload, .notification, .genericUpload, .bgbServer, .notificationAgent]

    /// Logs recognised by name that a folder is not read for: no rule reads them yet, and a
    /// site server's Logs folder holds them beside the service connection point's logs, so
    /// reading them unasked would put another server role's errors into the review.
    package static let related: [LogKind] = [.adminService, .restProvider, .endpointCheck, .adminConsole, .scripts]

    /// Every log with a name: the known ones, then the related ones.
    package static let named: [LogKind] = known + related

    /// Position in `allCases`, for tables indexed by kind.
    package var ordinal: Int {
        switch self {
        case .syncUpload: 0
        case .notification: 1
        case .genericUpload: 2
        case .bgbServer: 3
        case .notificationAgent: 4
        case .adminService: 5
        case .restProvider: 6
        case .endpointCheck: 7
        case .adminConsole: 8
        case .scripts: 9
        case .unknown: 10
        }
    }

    /// The kind named by a file name such as `CMGatewaySyncUploadWorker.lo_`, case-insensitively;
    /// a history file such as `CcmNotificationAgent-20131014-063030.log` names its log's kind.
    package init(fileName: String) {
        let lower = fileName.lowercased()
        for kind in LogKind.named {
            let base = kind.rawValue.lowercased()
            if lower == base + ".log" || lower == base + ".lo_" {
                self = kind
                return
            }
        }
        self = LogKind.history(fileName: fileName)?.kind ?? .unknown
    }

    /// A history file's log and stamp: `X-YYYYMMDD-HHMMSS.log`, as a client Logs folder names
    /// them when LogMaxHistory is above 1 (tenant-attach-logs.md, "Log history"). The stamp
    /// (`20131014063030`) orders history oldest first; it is compared as text, never read as a
    /// time, since the name says nothing of the zone it was written in.
    package static func history(fileName: String) -> (kind: LogKind, stamp: String)? {
        guard let (base, stamp) = historyParts(fileName.lowercased()),
              let kind = LogKind.named.first(where: { $0.rawValue.lowercased() == base }) else { return nil }
        return (kind, stamp)
    }

    /// The log a file continues, lower case and without its history: `…/x` for `…/X.log`,
    /// `…/X.lo_` and `…/X-YYYYMMDD-HHMMSS.log`, so that one log's history and present can be
    /// told to be one log (a device action answered in the file after the one that received it).
    package static func stream(of path: String) -> String {
        let lower = path.lowercased()
        let name = lower.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? lower
        if historyParts(name) != nil { return String(lower.dropLast(20)) }
        if lower.hasSuffix(".log") || lower.hasSuffix(".lo_") { return String(lower.dropLast(4)) }
        return lower
    }

    /// `x` and `YYYYMMDDHHMMSS` of a lower-case `x-YYYYMMDD-HHMMSS.log`, for any log name.
    private static func historyParts(_ lower: String) -> (base: String, stamp: String)? {
        // "-YYYYMMDD-HHMMSS.log" is 20 characters.
        guard lower.hasSuffix(".log"), lower.utf8.count > 20 else { return nil }
        let tail = Array(lower.utf8.suffix(20))
        let digits = tail[1..<9] + tail[10..<16]
        guard tail[0] == UInt8(ascii: "-"), tail[9] == UInt8(ascii: "-"),
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return (String(decoding: lower.utf8.dropLast(20), as: UTF8.self), String(decoding: digits, as: UTF8.self))
    }

    /// Accepts the JSON name or a short one (`sync`, `notification`, `generic`, `bgb`, `client`,
    /// `adminservice`, `provider`, `endpoints`, `console`, `scripts`).
    package init?(argument: String) {
        switch argument.lowercased() {
        case "cmgatewaysyncuploadworker", "sync", "upload": self = .syncUpload
        case "cmgatewaynotificationworker", "notification", "notify": self = .notification
        case "genericuploadworker", "generic": self = .genericUpload
        case "bgbserver", "bgb", "mp": self = .bgbServer
        case "ccmnotificationagent", "client", "agent": self = .notificationAgent
        case "adminservice", "admin-service": self = .adminService
        case "sms_rest_provider", "rest-provider", "provider": self = .restProvider
        case "endpointconnectivitycheckworker", "endpoints", "endpoint-check": self = .endpointCheck
        case "smsadminui", "console": self = .adminConsole
        case "scripts": self = .scripts
        case "unknown": self = .unknown
        default: return nil
        }
    }
}
