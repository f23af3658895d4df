import LogInput
import LogRules
/// The gateway endpoints cmlogcheck tells apart, by the last segment of the URL.
package enum Endpoint: String, Sendable {
    case upload, onboarding, notification, other
    /// A request to the administration service on an SMS Provider (`…/AdminService/…`), which
    /// the notification worker makes for the admin center's features beyond the device actions.
    case adminService = "adminservice"

    package init(url: String) {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        if path.lowercased().contains("/adminservice/") || path.lowercased().hasSuffix("/adminservice") {
            self = .adminService
            return
        }
        let last = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        switch last {
        case "accountonboardinginfo": self = .onboarding
        case "notification", "notifications": self = .notification
        case "devicepost": self = .upload
        default: self = .other
        }
    }
}

extension Endpoint {
    /// The endpoint a failure belongs to: by its URL, else the notification worker's own.
    package init(url: String?, log: LogKind) {
        let endpoint = url.map(Endpoint.init(url:)) ?? .other
        self = endpoint == .other && log == .notification ? .notification : endpoint
    }
}
