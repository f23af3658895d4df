import Foundation
import Testing
@testable import LogRules

@Suite struct KnowledgeLookupTests {
    static let knowledge = try! Knowledge.bundled()

    func ids(_ query: String) -> [String] { Self.knowledge.lookup(query).matches.map(\.entry.id) }

    @Test("codes as written: HRESULTs in any case, an application install code, a Windows code, a status message, an HTTP status",
          arguments: [
            ("0x80131509", ["hresult.0x80131509"]),
            ("0X80131509", ["hresult.0x80131509"]),
            ("0x87d00607", ["app-install.0x87D00607"]),
            ("0x80000007L", ["app-install.0x80000007"]),
            ("0x00240006", ["app-install.0x00240006"]),
            ("12007", ["error.12007"]),
            ("1603", ["app-install.1603"]),
            ("11412", ["status.11412"]),
            ("407", ["http.407"]),
            ("3", ["error.admin-center-3"]),
            // One code, two sources of different authority: both, in file order.
            ("401", ["http.401", "http.401.admin-consent"]),
            ("0x80004005", ["hresult.0x80004005", "app-install.0x80004005"]),
          ])
    func codes(query: String, expected: [String]) {
        #expect(ids(query) == expected)
        #expect(Self.knowledge.lookup(query).matches.allSatisfy { $0.how == .code && $0.note == nil })
    }

    @Test("an HRESULT written as a decimal, signed or unsigned, or without its 0x, is read as the HRESULT and says so")
    func decimalHResults() throws {
        for query in ["-2146233079", "2148734217", "80131509"] {
            let match = try #require(Self.knowledge.lookup(query).matches.first, "\(query)")
            #expect(match.entry.id == "hresult.0x80131509")
            #expect(match.how == .readAs)
            #expect(match.note?.contains("0x80131509") == true, "\(match.note ?? "")")
        }
        #expect(try Self.knowledge.lookup("-2146233079").matches.at(0).note == "-2146233079 is the HRESULT 0x80131509 written as a signed decimal")
        #expect(ids("87D00607") == ["app-install.0x87D00607"])
        // A Windows error wrapped in an HRESULT (HRESULT_FROM_WIN32) finds the Windows error.
        let wrapped = try #require(Self.knowledge.lookup("0x80070643").matches.first)
        #expect(wrapped.entry.id == "app-install.1603")
        #expect(wrapped.note == "0x80070643 is the HRESULT form of Windows error 1603 (HRESULT_FROM_WIN32)")
        #expect(ids("0x80072EE7") == ["error.12007"])
        #expect(ids("-2147023293") == ["app-install.1603"])
        // A direct entry wins over the wrapped reading: E_ACCESSDENIED, not Windows error 5.
        #expect(ids("0x80070005") == ["hresult.0x80070005"])
    }

    @Test("admin center messages match leniently: case, white space, curly quotes, trailing punctuation, a label")
    func lenientMessages() {
        let full = "Getting results timed out. Make sure the Configuration Manager service connection point is operational and has a connection to the cloud."
        for query in [full, full.uppercased(), full.replacingOccurrences(of: " ", with: "  \n "), String(full.dropLast()),
                      "\"" + full + "\"", "Error message: " + full, full + "!!"] {
            #expect(ids(query) == ["admin-center.timed-out"], "\(query)")
            #expect(Self.knowledge.lookup(query).matches.first?.how == .message)
        }
        #expect(ids("You don’t have access to view this information. Make sure a proper user role is assigned from Intune.")
                == ["admin-center.no-access"])
        #expect(ids("unexpected error occurred.") == ["admin-center.unexpected-error"])
        // The timeline page writes "Make sure that": an alias, matched whole.
        #expect(ids("Getting results timed out. Make sure that the Configuration Manager service connection point is operational and has a connection to the cloud")
                == ["admin-center.timed-out"])
    }

    @Test("a distinctive start of a message, or its fragments around an ellipsis, finds it")
    func prefixes() {
        #expect(ids("Getting results timed out") == ["admin-center.timed-out"])
        #expect(Self.knowledge.lookup("getting results timed out…").matches.first?.how == .messagePrefix)
        #expect(ids("Error validating request") == ["admin-center.error-validating-request"])
        #expect(ids("The site information hasn’t yet synchronized … Wait up to 15 minutes") == ["admin-center.site-not-synchronized"])
        #expect(ids("Unable to get timeline information") == ["admin-center.unable-to-get-timeline"])
        #expect(ids("Unable to get application information.") == ["admin-center.unable-to-get-information"])
        // Too short to be distinctive: nothing, rather than half the admin center.
        #expect(ids("Unable").isEmpty)
        #expect(ids("Getting").isEmpty)
    }

    @Test("a start shared by more messages than can be answered asks for more of the text")
    func ambiguous() {
        let answer = Self.knowledge.lookup("Failed to get inventory classes")
        #expect(answer.matches.count == 2)  // two messages: both answered
        let many = Knowledge.prefixAnswers + 1
        var entries: [KnowledgeEntry] = []
        for index in 0..<many {
            entries.append(try! KnowledgeEntry(id: "m\(index)", kind: .adminCenterMessage, key: "Something went wrong number \(index)",
                                              text: "t", source: "s", tag: .thirdParty))
        }
        let crowded = Knowledge(entries: entries).lookup("something went wrong")
        #expect(crowded.matches.isEmpty)
        #expect(crowded.candidates.map(\.id) == entries.map(\.id))
    }

    @Test("a pasted log line finds the message it holds; the longest message held wins")
    func heldMessages() {
        #expect(ids("[Warning][CMGatewayNotificationWorker][0][System.IO.InvalidDataException][0x80131501] Failed to check and load service signing certificate. System.ArgumentException: Mismatch certificate subject name")
                == ["log.certificate-subject-mismatch"])
        #expect(ids("System.Net.WebException The underlying connection was closed: An unexpected error occurred on a receive.")
                == ["log.tls-receive"])
        #expect(ids("Sending AdminService request with URL: https://CMsite.contoso.com/AdminService/v1.0/") == ["log.adminservice-request-url"])
    }

    @Test("codes inside a text are found when no message is: (401), Error = 12007, error code 3, an exception header")
    func codesInText() throws {
        #expect(ids("The remote server returned an error: (401) Unauthorized.") == ["http.401", "http.401.admin-consent"])
        #expect(ids("Failed to download the update from internet. Error = 12007.") == ["error.12007"])
        #expect(ids("error code 3") == ["error.admin-center-3"])
        #expect(ids("HTTP 407 Proxy Authentication Required") == ["http.407"])
        let header = try #require(Self.knowledge.lookup("[Critical][GenericUploadWorker][0][System.Net.WebException][0x80131509]").matches.first)
        #expect(header.entry.id == "hresult.0x80131509" && header.how == .codeInText)
        #expect(header.note == "read '0x80131509' in the text as a code")
        // Dates, times, thread numbers and GUID parts are not codes.
        #expect(ids("Batching 27 records 02-28-2020 16:20:31.497+480 thread=6344 a43dd1b3-a006-4604-b012-5529380b3b6f").isEmpty)
    }

    @Test("what is not in the knowledge finds nothing, read as a code or as a message")
    func unknown() {
        let code = Self.knowledge.lookup("0x12345678")
        #expect(code.matches.isEmpty && code.isCode)
        let message = Self.knowledge.lookup("the flux capacitor is out of alignment")
        #expect(message.matches.isEmpty && !message.isCode && message.candidates.isEmpty)
        #expect(Self.knowledge.lookup("99999999999").matches.isEmpty)
    }
}
