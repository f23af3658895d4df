import Testing
import LogReport
@testable import CMLogCheckCLI

/// Issue 14 item 1: `exception.details` used a lazy `.*?` before `\s*\z`, which rescans
/// a whitespace run at every step (100k characters took 4.6 s). The record below is
/// 900 KiB (under the 1 MiB record cap) of blank detail lines around the message; with the linear pattern
/// it is read at once, and the message still comes out whole.
@Suite("records stay linear")
struct LinearRecordTests {
    @Test("a 900 KiB whitespace-heavy exception record keeps its message")
    func whitespaceHeavyException() throws {
        let blank = String(repeating: "    \t  \r\n", count: 900 * 1024 / 9 / 2)
        let message = "Exception details:\r\n[Critical][CMGatewaySyncUploadWorker][0][System.Net.WebException][0x80131509]\r\n"
            + blank + "The remote name could not be resolved: 'gateway.configmgr.manage.microsoft.com'" + blank
        let log = cmtrace("Batching 3 records", time: "10:00:00.000+000") + "\r\n"
            + cmtrace(message, time: "10:00:01.000+000", type: "3") + "\r\n"
        let folder = TemporaryDirectory()
        let path = try folder.write("CMGatewaySyncUploadWorker.log", log)
        let result = runCLI(["review", "--format", "json", path])
        // The message after the blank lines reached the failure decision: the host is named.
        #expect(result.standardOutput.contains("name resolution failed (gateway.configmgr.manage.microsoft.com)"))
        #expect(result.standardOutput.contains("\"service-unreachable\""))
    }
}
