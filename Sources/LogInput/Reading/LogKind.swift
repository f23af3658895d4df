import LogMatching
/// Which writer a log comes from. Known from the file name when there is one.
package enum LogKind: String, CaseIterable, Sendable, Codable {
    case syncUpload = "CMGatewaySyncUploadWorker"
    case notification = "CMGatewayNotificationWorker"
    case genericUpload = "GenericUploadWorker"
    case bgbServer = "BgbServer"
    case notificationAgent = "CcmNotificationAgent"
    case unknown

    /// The known logs, in the order a folder is read.
    package static let known: [LogKind] = [.syncUpload, .notification, .genericUpload, .bgbServer, .notificationAgent]

    /// Position in `allCases`, for tables indexed by kind.
    package var ordinal: Int {
        switch self {
        case .syncUpload: 0
        case .notification: 1
        case .genericUpload: 2
        case .bgbServer: 3
        case .notificationAgent: 4
        case .unknown: 5
        }
    }

    /// The kind named by a file name such as `CMGatewaySyncUploadWorker.lo_`, case-insensitively.
    package init(fileName: String) {
        let lower = fileName.lowercased()
        for kind in LogKind.known {
            let base = kind.rawValue.lowercased()
            if lower == base + ".log" || lower == base + ".lo_" {
                self = kind
                return
            }
        }
        self = .unknown
    }

    /// Accepts the JSON name or a short one (`sync`, `notification`, `generic`, `bgb`, `client`).
    package init?(argument: String) {
        switch argument.lowercased() {
        case "cmgatewaysyncuploadworker", "sync", "upload": self = .syncUpload
        case "cmgatewaynotificationworker", "notification", "notify": self = .notification
        case "genericuploadworker", "generic": self = .genericUpload
        case "bgbserver", "bgb", "mp": self = .bgbServer
        case "ccmnotificationagent", "client", "agent": self = .notificationAgent
        case "unknown": self = .unknown
        default: return nil
        }
    }
}
