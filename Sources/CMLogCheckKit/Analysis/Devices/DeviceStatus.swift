/// A device the upload leaves out, and why.
public struct DeviceStatus: Sendable {
    public enum State: String, Sendable {
        case dropped
        case atRisk = "at-risk"
    }

    public var name: String
    public var resourceId: String?
    public var reason: String
    public var state: State
    public var droppedAt: Instant?
    public var lastChange: Instant?
    public var evidence: [Evidence] = []

    public init(name: String, resourceId: String?, reason: String, state: State) {
        self.name = name
        self.resourceId = resourceId
        self.reason = reason
        self.state = state
    }
}
