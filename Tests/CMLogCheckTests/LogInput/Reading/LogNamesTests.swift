import Foundation
import Testing
@testable import LogInput
@testable import LogFollow

/// Which log a file is, by its name: the tenant attach logs, the related logs recognised by
/// name, and history files named `X-YYYYMMDD-HHMMSS.log`.
@Suite struct LogNamesTests {
    @Test("the related logs get their kinds, with their .lo_, in any case",
          arguments: [
            ("AdminService.log", LogKind.adminService), ("adminservice.LO_", .adminService),
            ("SMS_REST_PROVIDER.log", .restProvider), ("sms_rest_provider.lo_", .restProvider),
            ("EndpointConnectivityCheckWorker.log", .endpointCheck), ("EndpointConnectivityCheckWorker.lo_", .endpointCheck),
            ("SMSAdminUI.log", .adminConsole), ("SMSAdminUI.lo_", .adminConsole),
            ("Scripts.log", .scripts), ("SCRIPTS.lo_", .scripts),
          ])
    func relatedNames(name: String, kind: LogKind) {
        #expect(LogKind(fileName: name) == kind)
        #expect(InputSource.file("/logs/" + name).kind == kind)
    }

    @Test("names that only look like a log's are not its log")
    func notLogs() {
        for name in ["AdminService.txt", "AdminServiceX.log", "Scripts.log.bak", "RESTPROVIDERSetup.log", "SMSAdminUI.log.old",
                     "CcmNotificationAgent-20131014.log", "CcmNotificationAgent-2013101-063030.log", "CcmNotificationAgent-20131014-06303a.log",
                     "CcmNotificationAgent_20131014_063030.log", "CcmNotificationAgent-20131014-063030.lo_", "AppEnforce-20131014-063030.log",
                     "-20131014-063030.log"] {
            #expect(LogKind(fileName: name) == .unknown, "\(name)")
        }
    }

    @Test("a history file X-YYYYMMDD-HHMMSS.log is X's, for the tenant attach logs and the related ones")
    func historyNames() throws {
        #expect(LogKind(fileName: "CcmNotificationAgent-20131014-063030.log") == .notificationAgent)
        #expect(LogKind(fileName: "cmgatewaysyncuploadworker-20260923-101500.LOG") == .syncUpload)
        #expect(LogKind(fileName: "AdminService-20250101-000000.log") == .adminService)
        let history = try #require(LogKind.history(fileName: "BgbServer-20131014-063030.log"))
        #expect(history.kind == .bgbServer && history.stamp == "20131014063030")
        #expect(LogKind.history(fileName: "BgbServer.log") == nil)
    }

    @Test("a log's stream joins its history files, its .lo_ and its .log, in any case")
    func streams() {
        let stream = "logs/client/ccmnotificationagent"
        for path in ["Logs/Client/CcmNotificationAgent.log", "Logs/Client/CcmNotificationAgent.LO_",
                     "Logs/Client/CcmNotificationAgent-20231114-091150.log", "logs/client/ccmnotificationagent-20231114-100320.LOG"] {
            #expect(LogKind.stream(of: path) == stream, "\(path)")
        }
        #expect(LogKind.stream(of: "CcmNotificationAgent.log") == "ccmnotificationagent")
        #expect(LogKind.stream(of: "stdin") == "stdin")
        #expect(LogKind.stream(of: "Logs/-20231114-091150.log") == "logs/-20231114-091150")
    }

    @Test("every named kind has a short argument name and a JSON name that read back, and a tail tag")
    func argumentsAndTags() {
        for kind in LogKind.named {
            #expect(LogKind(argument: kind.rawValue) == kind)
            #expect(LogKind(rawValue: kind.rawValue) == kind)
        }
        #expect(LogKind(argument: "provider") == .restProvider && LogKind(argument: "console") == .adminConsole)
        #expect(LogKind.allCases.map(\.ordinal) == Array(0..<LogKind.allCases.count))
        let targets = LogKind.related.map { FollowTarget.file("/logs/\($0.rawValue).log") }
        #expect(TailSession.tags(for: targets) == ["adminservice", "provider", "endpoints", "console", "scripts"])
    }

    @Test("a folder reads each log's stamped history oldest first by the stamp, then X.lo_, then X.log")
    func folderHistoryOrder() throws {
        let dir = TemporaryDirectory()
        // Written newest first, and with names whose text order is not their stamps' order in case.
        try dir.write("Logs/CcmNotificationAgent.log", cmtrace("current"))
        try dir.write("Logs/CcmNotificationAgent.lo_", cmtrace("rotated"))
        try dir.write("Logs/CcmNotificationAgent-20131015-000001.log", cmtrace("newer history"))
        try dir.write("Logs/ccmnotificationagent-20131014-063030.log", cmtrace("older history"))
        try dir.write("Logs/CcmNotificationAgent-20131014-120000.log", cmtrace("middle history"))
        try dir.write("Logs/CMGatewaySyncUploadWorker-20200228-160000.log", cmtrace("sync history"))
        try dir.write("Logs/CMGatewaySyncUploadWorker.log", cmtrace("sync"))
        try dir.write("Logs/AppEnforce-20131014-063030.log", cmtrace("not a tenant attach log"))
        let inputs = try InputResolver.resolve([dir.path + "/Logs"])
        #expect(inputs.map { ($0.name as NSString).lastPathComponent } == [
            "CMGatewaySyncUploadWorker-20200228-160000.log",
            "CMGatewaySyncUploadWorker.log",
            "ccmnotificationagent-20131014-063030.log",
            "CcmNotificationAgent-20131014-120000.log",
            "CcmNotificationAgent-20131015-000001.log",
            "CcmNotificationAgent.lo_",
            "CcmNotificationAgent.log",
        ])
        #expect(inputs.map(\.kind) == [.syncUpload, .syncUpload] + Array(repeating: LogKind.notificationAgent, count: 5))

        // Read through the same path as review: the records come out in that order.
        let stream = RecordStream(inputs: inputs.filter { $0.kind == .notificationAgent })
        var messages: [String] = []
        for index in 0..<stream.inputs.count {
            try stream.read(index, from: FileSource(path: inputPath(stream.inputs[index]))) {
                messages.append(String(decoding: $0.message, as: UTF8.self))
            }
        }
        #expect(messages == ["older history", "middle history", "newer history", "rotated", "current"])
    }

    @Test("a folder holding only history files is still a folder of logs; related logs are read from a folder too")
    func folderOnlyHistory() throws {
        let dir = TemporaryDirectory()
        try dir.write("GenericUploadWorker-20260101-000000.log", cmtrace("old"))
        try dir.write("AdminService.log", cmtrace("provider"))
        let inputs = try InputResolver.resolve([dir.path])
        #expect(inputs.map(\.kind) == [.genericUpload, .adminService])
    }

    @Test("named on the command line, a history file gets its log's kind and keeps the order given")
    func explicitHistory() throws {
        let dir = TemporaryDirectory()
        let newer = try dir.write("CcmNotificationAgent-20131015-000001.log", cmtrace("b"))
        let older = try dir.write("CcmNotificationAgent-20131014-063030.log", cmtrace("a"))
        let current = try dir.write("CcmNotificationAgent.log", cmtrace("c"))
        let rotated = try dir.write("CcmNotificationAgent.lo_", cmtrace("r"))
        let provider = try dir.write("AdminService.log", cmtrace("p"))
        let inputs = try InputResolver.resolve([newer, current, older, rotated, provider])
        // X.lo_ still goes before its X.log; the history files stay where they were given.
        #expect(inputs.map(\.name) == [newer, rotated, current, older, provider])
        #expect(inputs.map(\.kind) == [.notificationAgent, .notificationAgent, .notificationAgent, .notificationAgent, .adminService])
    }
}

private func inputPath(_ input: InputSource) -> String {
    guard case .file(let path) = input.location else { return "" }
    return path
}

@Suite("Each input once") struct ReadOnceTests {
    @Test("a file named twice, or beside its folder, or through a link, is read once")
    func readOnce() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("CMGatewaySyncUploadWorker.log", cmtrace("Batching 3 records"))
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link.log", withDestinationPath: path)
        let inputs = try InputResolver.resolve([path, dir.path, path, dir.path + "/link.log"])
        #expect(inputs.count == 1)
        let resolved = try InputResolver.resolveAll([path, dir.path, path, dir.path + "/link.log"])
        #expect(resolved.skipped.map(\.message) == ["cannot read \(dir.path)/link.log: the same file as \(path): read once"])
    }

    @Test("a hard link is the same file; a link back up the tree is searched once and said")
    func loops() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/Logs", withIntermediateDirectories: true)
        let path = try dir.write("Logs/CMGatewaySyncUploadWorker.log", cmtrace("Batching 3 records"))
        try #require(link(path, dir.path + "/copy.log") == 0)
        try #require(symlink(".", dir.path + "/Logs/self") == 0)
        let resolved = try InputResolver.resolveAll([dir.path + "/Logs", dir.path + "/copy.log", dir.path + "/Logs/self"])
        #expect(resolved.inputs.count == 1)
        #expect(resolved.skipped.map(\.reason) == [
            "a link back to \(dir.path)/Logs, already searched: not searched again",
            "the same folder as \(dir.path)/Logs: searched once",
            "the same file as \(path): read once",
        ])
    }
}
