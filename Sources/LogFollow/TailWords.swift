import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
/// Events in words, one line each, and which of them are failures that alert.
enum TailWords {
    /// Events not shown on their own: requests and successful responses (every batch has
    /// them; the batch line says it), and scenario tags (the cycle's kind is told when it ends).
    static func isShown(_ event: Event) -> Bool {
        switch event.type {
        case .httpRequest, .uploadScenario:
            return false
        case .httpResponse, .httpStatus:
            return (Int(event["status"] ?? "") ?? 0) >= 400
        default:
            return true
        }
    }

    /// The last segment of a gateway URL (`DevicePost`), or the URL.
    static func endpointName(_ url: String?) -> String? {
        guard let url else { return nil }
        let path = url.split(separator: "?").first.map(String.init) ?? url
        return path.split(separator: "/").last.map(String.init) ?? url
    }

    static func what(_ endpoint: Endpoint, log: LogKind) -> String {
        switch endpoint {
        case .upload: return "upload"
        case .onboarding: return "onboarding"
        case .notification: return "notification poll"
        case .adminService: return "AdminService request"
        case .other: return log == .notification ? "notification poll" : "request"
        }
    }

    static func httpText(_ event: Event) -> String {
        let status = event["status"] ?? "?"
        return event["reason"].map { "HTTP \(status) (\($0))" } ?? "HTTP \(status)"
    }

    /// The event in words. `url` is the last URL the same log talked to, for status lines that name none.
    static func describe(_ event: Event, lastURL url: String?) -> String {
        switch event.type {
        case .uploadBatch:
            return "Batching \(event["count"] ?? "?") records"
        case .uploadNextRun:
            return "next run at \(event["when"] ?? "?")"
        case .uploadScenario:
            return "\(event["kind"] ?? "upload") sync (\(event["scenario"] ?? "?"))"
        case .uploadFailed:
            return "upload failed: could not send data to \(endpointName(event["url"]) ?? "the gateway")"
        case .httpRequest:
            return "request to \(endpointName(event["url"]) ?? "?")"
        case .httpResponse:
            let target = event["url"] ?? url
            let endpoint = target.map(Endpoint.init(url:)) ?? .other
            let scenario = event["scenario"].map { " [\($0)]" } ?? ""
            return "\(what(endpoint, log: event.log)) failed: \(httpText(event)) from \(endpointName(target) ?? "the gateway")\(scenario)"
        case .httpStatus:
            let activity = event["activity"].map { ", activity ID \($0)" } ?? ""
            return "response status \(httpText(event))\(activity)"
        case .exception:
            let level = event["level"].map { " (\($0))" } ?? ""
            let kind = [event["type"], event["hresult"]].compactMap { $0 }.joined(separator: " ")
            let message = firstLine(event["message"] ?? "")
            return "exception \(kind)\(level)\(message.isEmpty ? "" : ": " + message)"
        case .workerException:
            if let body = event["body"] { return "response in the web exception: \(body)" }
            return firstLine(event.text)
        case .workerRunStarted:
            return "worker \(event["worker"] ?? "?") run started (\(event["step"] ?? "?"))"
        case .networkFailure:
            let cause = FailureFindings.causeName(event["cause"] ?? "network")
            let host = event["host"].map { " (\($0))" } ?? ""
            return "network failure: \(cause)\(host)"
        case .actionReceived:
            return "device action received from the admin center"
        case .actionValidating:
            return "validating the device action"
        case .actionAuthorized:
            return "action authorized: \(event["template"] ?? "?") (AAD user \(event["user"] ?? "?"))"
        case .actionUnauthorized:
            return "action unauthorized: \(event["template"] ?? "?") for AAD user \(event["user"] ?? "?")"
        case .actionForwarded:
            let targets = event["targets"].map { ", target devices \($0)" } ?? ""
            return "action forwarded as BGB task \(event["taskGuid"] ?? "?") (TemplateID \(event["templateId"] ?? "?")\(targets))"
        case .pushFetched:
            return "management point took a push message from its database"
        case .pushSent:
            let clients = event["clients"].map { " to \($0) client\($0 == "1" ? "" : "s")" } ?? ""
            return "push sent: task \(event["taskGuid"] ?? "?") (PushID \(event["pushId"] ?? "?"), TaskID \(event["taskId"] ?? "?"))\(clients)"
        case .clientTaskReceived:
            return "client received task \(event["taskGuid"] ?? "?") (PushID \(event["pushId"] ?? "?"), TaskID \(event["taskId"] ?? "?"))"
        case .clientTaskResponse:
            return "client response sent: return code \(event["returnCode"] ?? "?") (PushID \(event["pushId"] ?? "?"), TaskID \(event["taskId"] ?? "?"))"
        case .knownFailure:
            return "\(event["kind"] ?? "known failure")\(event["status"].map { " (HTTP \($0))" } ?? "")\(event["code"].map { " (status message \($0))" } ?? ""): \(firstLine(event.text))"
        case .pushFinished:
            return "push finished (PushID \(event["pushId"] ?? "?"), TaskID \(event["taskId"] ?? "?")) to \(event["clients"] ?? "?") clients"
        case .pushReport:
            return "push status report (PushID \(event["pushId"] ?? "?")): \(event["reported"] ?? "?") reported, \(event["failed"] ?? "?") failed"
        case .adminServiceRequest:
            return "AdminService request to the SMS Provider \(event["provider"] ?? "?")"
        case .deviceUploaded:
            return "device uploaded: \(event["device"] ?? event["resourceId"] ?? "?")"
        case .deviceRemoved:
            let reason = event["reason"].map { " (\($0))" } ?? ""
            return "device removed from the upload: \(event["device"] ?? event["resourceId"] ?? "?")\(reason)"
        }
    }
}
