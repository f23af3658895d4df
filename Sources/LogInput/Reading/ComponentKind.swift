import LogMatching

extension LogKind {
    /// The log a record's component names, when it names one:
    /// `SMS_SERVICE_CONNECTOR_<Worker>` names the service connector worker that wrote it
    /// (seen in real logs: `SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker` in Microsoft's
    /// support article on the certificate mismatch, `SMS_SERVICE_CONNECTOR_GenericDownloadWorker`
    /// in a published lab log), and `BgbAgent` the client's notification agent (seen on a real
    /// CcmNotificationAgent.log). The bare `SMS_SERVICE_CONNECTOR` names no worker. Compared
    /// as bytes, case-insensitively: this runs for records of inputs whose name says nothing.
    ///
    /// The logs of the SMS Provider, the console and the client's scripts are recognised too
    /// (`ComponentNames.related`): `SMS_SERVICE_CONNECTOR_EndpointConnectivityCheckWorker`
    /// follows the documented `SMS_SERVICE_CONNECTOR_<WorkerName>` form for a worker whose own
    /// lines nobody has published; `SMS_REST_PROVIDER` is the documented component whose status
    /// the admin center's "error code 3" points at, and its log carries its name; `AdminService`,
    /// `SMSAdminUI` and `Scripts` are assumed to log under their log's name, as ConfigMgr's
    /// components usually do (no line of theirs with its component is public). `--log` overrides
    /// all of these for piped input.
    package init?(component: UnsafeRawBufferPointer) {
        if let worker = ComponentNames.suffix(of: component, after: ComponentNames.serviceConnector) {
            for kind in ComponentNames.workers where ComponentNames.equalsIgnoringCase(worker, kind.utf8) {
                self = kind.kind
                return
            }
            return nil
        }
        if ComponentNames.equalsIgnoringCase(component, ComponentNames.bgbAgent) {
            self = .notificationAgent
            return
        }
        for kind in ComponentNames.related where ComponentNames.equalsIgnoringCase(component, kind.utf8) {
            self = kind.kind
            return
        }
        return nil
    }
}

enum ComponentNames {
    static let serviceConnector = Array("SMS_SERVICE_CONNECTOR_".utf8)
    static let bgbAgent = Array("BgbAgent".utf8)
    static let workers: [(utf8: [UInt8], kind: LogKind)] = [LogKind.syncUpload, .notification, .genericUpload, .endpointCheck].map {
        (Array($0.rawValue.utf8), $0)
    }
    /// Whole component names of the related logs: each log's own name (see `LogKind.init(component:)`).
    static let related: [(utf8: [UInt8], kind: LogKind)] = [LogKind.restProvider, .adminService, .adminConsole, .scripts].map {
        (Array($0.rawValue.utf8), $0)
    }

    static func suffix(of bytes: UnsafeRawBufferPointer, after prefix: [UInt8]) -> UnsafeRawBufferPointer? {
        guard bytes.count > prefix.count,
              equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: bytes[..<prefix.count]), prefix) else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[prefix.count...])
    }

    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ other: [UInt8]) -> Bool {
        guard bytes.count == other.count else { return false }
        for index in 0..<other.count where bytes[index] | 0x20 != other[index] | 0x20 {
            // Letters differ only in bit 5; for the ASCII names compared here nothing else can collide.
            return false
        }
        return true
    }
}
