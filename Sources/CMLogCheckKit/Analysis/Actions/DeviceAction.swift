/// One device action started from the admin center, followed across the
/// service connection point, the management point and the client.
public struct DeviceAction: Sendable {
    public enum Outcome: String, Sendable {
        case completed, pushed, forwarded, unauthorized
        case notForwarded = "not-forwarded"
        case notDelivered = "not-delivered"
    }

    public var received: Instant?
    public var template: String?
    public var tenantId: String?
    public var aadUserId: String?
    public var authorized: Bool?
    public var taskGuid: String?
    public var targetDeviceIds: String?
    public var forwardedAt: Instant?
    public var pushedAt: Instant?
    public var pushId: String?
    public var taskId: String?
    public var clientReceivedAt: Instant?
    public var clientRespondedAt: Instant?
    public var clientReturnCode: Int?
    public var outcome: Outcome
    public var evidence: [Evidence] = []

    public init(outcome: Outcome) { self.outcome = outcome }
}
