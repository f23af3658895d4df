import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow
@testable import CMLogCheckCLI

// Devices (issue 5): distribution points that share one PKI certificate with
// their client, devices missing for another reason, and bad --inventory/--cloud input.

/// One simple-format upload-worker line at `minutes` past 2021-03-08 10:00 UTC (bias +000).
private func devLine(_ message: String, _ minutes: Double) -> String {
    let total = Int((minutes * 60).rounded(.down))
    let millis = Int(((minutes * 60) - Double(total)) * 1000)
    let time = String(format: "%02d:%02d:%02d.%03d", 10 + total / 3600, total / 60 % 60, total % 60, millis)
    return "\(message)  $$<SMS_SERVICE_CONNECTOR><03-08-2021 \(time)+000><thread=10 (0xA)>\n"
}

/// Upload cycles every 15 minutes from 10:00 UTC on 8 March 2021: the first one full
/// unless `full` is false, `failed` cycles answered with a 401, `extra` lines at their minute.
private func devLog(cycles: Int, full: Bool = true, failed: Set<Int> = [], extra: [(Double, String)] = []) -> String {
    var lines: [(Double, String)] = extra
    let url = "https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost"
    for index in 0..<cycles {
        let start = Double(index * 15)
        let tag = index == 0 && full ? "[UploadFull_HelpdeskUpload]" : "[UploadDelta_HelpdeskUpload]"
        lines.append((start, "Batching 5 records"))
        lines.append((start + 0.01, "\(tag) Creating web request to: \(url) Method: POST"))
        lines.append((start + 0.02, "\(tag) Response from \(url) is: \(failed.contains(index) ? "401 (Unauthorized)" : "200 (OK)")"))
        let next = Int(start) + 15
        lines.append((start + 0.03, String(format: "Next run time will be at approximately: 03/08/2021 %02d:%02d:00", 10 + next / 60, next % 60)))
    }
    return lines.sorted { $0.0 < $1.0 }.map { devLine($0.1, $0.0) }.joined()
}

private let header = "Name,Resource ID,Is Distribution Point,Client Certificate Thumbprint,DP Certificate Thumbprint,Last Change,Client\n"
private let shared = "9F3C1A00112233445566778899AABBCCDDEEFF00"
private let other = "0123456789ABCDEF0123456789ABCDEF01234567"

/// A distribution point sharing one certificate, last changed at `change` (ISO 8601, or empty).
private func sharedRow(_ name: String, _ id: Int, _ change: String) -> String {
    "\(name),\(id),Yes,\(shared),\(shared),\(change),Yes\n"
}

private func ordinaryRow(_ name: String, _ id: Int, client: String = "Yes") -> String {
    "\(name),\(id),No,\(other),,2021-03-08T09:00:00Z,\(client)\n"
}

/// A folder with the log and the CSVs, and the review's JSON.
private struct DeviceRun {
    let folder = TemporaryDirectory()
    var result = RunResult(status: -1, standardOutput: "", standardError: "")
    var report: [String: Any] = [:]

    init(log: String, inventory: String, cloud: String? = nil, rules: String? = nil, arguments: [String] = [], format: String = "json") throws {
        let logPath = try folder.write("CMGatewaySyncUploadWorker.log", log)
        let inventoryPath = try folder.write("inventory.csv", inventory)
        var args = ["review", "--format", format, "--fail-on", "never", logPath, "--inventory", inventoryPath]
        if let cloud { args += ["--cloud", try folder.write("cloud.csv", cloud)] }
        if let rules { args += ["--rules", try folder.write("rules.json", rules)] }
        result = runCLI(args + arguments)
        if format == "json", result.status == 0 {
            report = (try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]) ?? [:]
        }
    }

    var devices: [[String: Any]] { report["devices"] as? [[String: Any]] ?? [] }
    var findingIds: [String] { (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }

    func device(_ name: String) -> [String: Any]? { devices.first { $0["name"] as? String == name } }
    func state(_ name: String) -> String? { device(name)?["state"] as? String }
    func finding(_ id: String) -> [String: Any]? { (report["findings"] as? [[String: Any]] ?? []).first { $0["id"] as? String == id } }
}

@Suite struct DevicesTests {
    // MARK: Values

    @Test("thumbprints compare ignoring case, spaces, colons and the marks certificate dialogs add")
    func thumbprints() {
        let plain = "9F3C1A00112233445566778899AABBCCDDEEFF00"
        let variants = [
            "\u{200E}9f 3c 1a 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00",   // copied from the dialog
            "9f:3c:1a:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00",
            "\u{FEFF}9F3C1A00112233445566778899AABBCCDDEEFF00\u{200F}",
            "9F3C\u{00A0}1A00\u{202A}112233445566778899AABBCC\u{202E}DDEEFF00",
            "  9f3c1a00112233445566778899aabbccddeeff00\t",
            "\u{202B}9F3C1A00 11223344\u{202C}5566778899AABBCCDDEEFF00\u{202D}",
        ]
        for variant in variants {
            #expect(Thumbprint.normalize(variant) == plain, "\(variant.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(Thumbprint.isValid(plain))
        #expect(Thumbprint.isValid(String(repeating: "AB", count: 32)))            // SHA-256
        #expect(!Thumbprint.isValid(Thumbprint.normalize("9F3C1A0011")!))           // too short
        #expect(!Thumbprint.isValid(Thumbprint.normalize("9F3C1A00112233445566778899AABBCCDDEEFF0G")!))
        #expect(!Thumbprint.isValid(Thumbprint.normalize("9F-3C-1A-00-11-22-33-44-55-66-77-88-99-AA-BB-CC-DD-EE-FF-00")!))
        #expect(Thumbprint.normalize(" \u{200E} ") == nil)
    }

    @Test("header names are matched leniently, with synonyms", arguments: [
        (["Name", "ResourceID", "Is Distribution Point", "Client Certificate Thumbprint", "DP Certificate Thumbprint", "Last Change"], true),
        (["Device Name", "Resource ID", "DP", "Client Thumbprint", "DP Thumbprint", "Last Modified"], true),
        (["NetBIOS Name", "Resource_ID", "isDistributionPoint", "Client Auth Cert Thumbprint", "DP Cert Thumbprint", "Last Heartbeat"], true),
        (["computer_name", "RESOURCE-ID", "distribution point", "client authentication certificate thumbprint (SHA1)",
          "Distribution Point Certificate Thumbprint", "last_modified_time"], true),
        (["Name0", "ResourceID", "Distribution Point", "ClientCertThumbprint", "DistributionPointThumbprint", "LastHardwareScan"], true),
        (["Name", "ResourceID", "Is Distribution Point", "Thumbprint", "DP Certificate Thumbprint", "Last Change"], false),
    ])
    func headerSynonyms(_ headers: [String], _ complete: Bool) {
        let map = ColumnMap(header: headers, wanted: Inventory.required + Inventory.optional)
        #expect(Inventory.required.allSatisfy(map.has) == complete, "\(headers)")
        if complete {
            #expect(map.index[.name] == 0)
            #expect(map.index[.resourceId] == 1)
            #expect(map.index[.isDistributionPoint] == 2)
            #expect(map.index[.clientThumbprint] == 3)
            #expect(map.index[.dpThumbprint] == 4)
            #expect(map.lastChange == [5])
        }
    }

    @Test("several last-change columns: the latest time counts")
    func severalLastChangeColumns() throws {
        let csv = "Name;DP;Client Thumbprint;DP Thumbprint;Last Heartbeat;Last Hardware Scan\nA;Yes;\(shared);\(shared);2021-03-08T09:00:00Z;2021-03-08T10:20:00Z\n"
        let inventory = try Inventory.parse(Array(csv.utf8), file: "i.csv")
        #expect(try inventory.devices.at(0).lastChange == utc("2021-03-08T10:20:00Z"))
        #expect(try inventory.devices.at(0).sharesCertificate)
        #expect(inventory.delimiter == "semicolon")
    }

    @Test("CSV: RFC 4180 quoting, BOM, CRLF, semicolons, tabs, sep=, UTF-16 and Windows-1252")
    func csvReading() throws {
        let text = "\u{FEFF}Name,Note,Last\r\n\"DP, one\",\"say \"\"hi\"\"\r\nsecond line\",x\r\n\r\nB,,y\r\n"
        let table = try #require(CSVTable.read(Array(text.utf8)))
        #expect(table.encoding == "utf-8-bom")
        #expect(table.header == ["Name", "Note", "Last"])
        #expect(table.rows.count == 2)
        #expect(try table.rows.at(0).fields == ["DP, one", "say \"hi\"\nsecond line", "x"])
        #expect(try table.rows.at(0).line == 2)
        #expect(try table.rows.at(1).line == 5)   // the quoted line break counts, the blank line is skipped

        let semicolon = try #require(CSVTable.read(Array("Name;DP\nA;Ja\n".utf8)))
        #expect(semicolon.delimiter == ";")
        #expect(try semicolon.rows.at(0).fields == ["A", "Ja"])
        let tabs = try #require(CSVTable.read(utf16("Name\tDP\r\nA\tYes\r\n")))
        #expect(try tabs.delimiter == "\t" && tabs.encoding == "utf-16le" && tabs.rows.at(0).fields == ["A", "Yes"])
        let hinted = try #require(CSVTable.read(Array("sep=;\nName;Note\nA;1,5\n".utf8)))
        #expect(try hinted.headerLine == 2 && hinted.rows.at(0).line == 3 && hinted.rows.at(0).fields == ["A", "1,5"])
        let latin = try #require(CSVTable.read([0x4E, 0x61, 0x6D, 0x65, 0x0A, 0x43, 0x41, 0x46, 0xC9, 0x0A]))   // "CAFÉ" in Windows-1252
        #expect(try latin.encoding == "windows-1252" && latin.rows.at(0).fields == ["CAFÉ"])
        let crOnly = try #require(CSVTable.read(Array("Name\rA\rB".utf8)))
        #expect(crOnly.rows.map(\.fields) == [["A"], ["B"]])

        // An unclosed quote: its own row, and every row it swallowed, each reported by its line.
        let broken = try #require(CSVTable.read(Array("Name,Note\nA,\"open\nB,x\n\nC,y\r\nD,z".utf8)))
        #expect(broken.rows.map(\.line) == [2, 3, 5, 6])
        #expect(try broken.rows.at(0).problem == .unclosedQuote(openedOn: 2))
        #expect(broken.rows.dropFirst().allSatisfy { $0.problem == .swallowedByUnclosedQuote(openedOn: 2) })
        let trailing = try #require(CSVTable.read(Array("Name,Note\n\"A\"b,x\n".utf8)))
        #expect(try trailing.rows.at(0).problem == .textAfterClosingQuote)
    }

    @Test("times: ISO 8601 and common export formats; ambiguous day/month is never guessed")
    func times() throws {
        func at(_ text: String, _ order: DateOrder? = nil, offset: Int = 0) -> String? {
            ExportTime.parse(text)?.instant(order: order, defaultOffset: offset)?.iso8601
        }
        #expect(at("2021-03-08T10:20:31Z") == "2021-03-08T10:20:31.000Z")
        #expect(at("2021-03-08T10:20:31.5+01:00") == "2021-03-08T09:20:31.500Z")
        #expect(at("2021-03-08 10:20:31 -0500") == "2021-03-08T15:20:31.000Z")
        #expect(at("2021-03-08 10:20") == "2021-03-08T10:20:00.000Z")
        #expect(at("2021/03/08 10:20:31") == "2021-03-08T10:20:31.000Z")
        #expect(at("2021-03-08") == "2021-03-08T00:00:00.000Z")
        #expect(at("3/28/2021 4:20:31 PM") == "2021-03-28T16:20:31.000Z")
        #expect(at("3/28/2021 12:05 AM") == "2021-03-28T00:05:00.000Z")
        #expect(at("28-3-2021 16:20:31") == "2021-03-28T16:20:31.000Z")
        #expect(at("28.03.2021 16:20") == "2021-03-28T16:20:00.000Z")
        #expect(at("28/03/2021 16:20:31 UTC+02:00") == "2021-03-28T14:20:31.000Z")
        #expect(at("28.03.2021 16:20", offset: 60) == "2021-03-28T15:20:00.000Z")   // --inventory-utc-offset +01:00
        #expect(at("05/05/2021 10:00") == "2021-05-05T10:00:00.000Z")              // same either way
        let ambiguous = try #require(ExportTime.parse("03/04/2021 10:00"))
        #expect(ambiguous.isAmbiguous)
        #expect(ambiguous.instant(order: .dayFirst, defaultOffset: 0)?.iso8601 == "2021-04-03T10:00:00.000Z")
        #expect(ambiguous.instant(order: .monthFirst, defaultOffset: 0)?.iso8601 == "2021-03-04T10:00:00.000Z")
        for bad in ["yesterday", "03/04/21 10:00", "2021-13-01", "31/31/2021", "2021-03-08T25:00", "2021-03-08 10:20 banana", "3/28/2021 13:00 PM"] {
            #expect(ExportTime.parse(bad).flatMap { $0.instant(order: nil, defaultOffset: 0) } == nil, "\(bad)")
        }
        #expect(InventoryReadOptions.parseOffset("+01:00") == 60)
        #expect(InventoryReadOptions.parseOffset("-0530") == -330)
        #expect(InventoryReadOptions.parseOffset("UTC+2") == 120)
        #expect(InventoryReadOptions.parseOffset("Z") == 0)
        #expect(InventoryReadOptions.parseOffset("0") == 0)
        #expect(InventoryReadOptions.parseOffset("+25:00") == nil)
        #expect(InventoryReadOptions.parseOffset("CET") == nil)
    }

    @Test("an ambiguous date is settled by the file's other dates, or by --inventory-date-order")
    func dateOrderSettled() throws {
        let rows = "Name,DP,Client Thumbprint,DP Thumbprint,Last Change\nA,Yes,\(shared),\(shared),03/04/2021 10:00\n"
        let settled = try Inventory.parse(Array((rows + "B,No,,,28/03/2021 09:00\n").utf8), file: "i.csv")
        #expect(settled.dateOrder == .dayFirst && settled.dateOrderSource == "file")
        #expect(try settled.devices.at(0).lastChange == utc("2021-04-03T10:00:00Z"))
        let byOption = try Inventory.parse(Array(rows.utf8), file: "i.csv", options: InventoryReadOptions(dateOrder: .monthFirst))
        #expect(try byOption.devices.at(0).lastChange == utc("2021-03-04T10:00:00Z") && byOption.dateOrderSource == "option")
        // A date the option cannot read is a malformed row.
        let clash = try Inventory.parse(Array((rows + "B,No,,,28/03/2021 09:00\n").utf8), file: "i.csv", options: InventoryReadOptions(dateOrder: .monthFirst))
        #expect(clash.devices.map(\.name) == ["A"])
        #expect(clash.skipped == [SkippedRow(line: 3, reason: .wrongDateOrder(text: "28/03/2021 09:00", order: .monthFirst))])
        let cell = DeviceFileError.DateCell(line: 2, text: "03/04/2021 10:00", first: 3, second: 4, year: 2021)
        #expect(throws: DeviceFileError.ambiguousDate(file: "i.csv", column: "Last Change", ambiguous: cell)) {
            try Inventory.parse(Array(rows.utf8), file: "i.csv")
        }
        #expect(throws: DeviceFileError.datesDisagree(file: "i.csv", column: "Last Change", dayFirst: .init(line: 3, text: "28/03/2021 09:00"),
                                                      monthFirst: .init(line: 4, text: "3/28/2021 09:00"), ambiguous: cell)) {
            try Inventory.parse(Array((rows + "B,No,,,28/03/2021 09:00\nC,No,,,3/28/2021 09:00\n").utf8), file: "i.csv")
        }
        // The sentence is written from those facts.
        #expect(DeviceFileError.ambiguousDate(file: "i.csv", column: "Last Change", ambiguous: cell).message
                == "inventory i.csv line 2: '03/04/2021 10:00' in column 'Last Change' could be 4 March or 3 April 2021, and no date in the file has a day above 12 to settle the order; cmlogcheck does not guess: pass --inventory-date-order dmy (day first) or mdy (month first)")
    }

    // MARK: States

    @Test("dropped: changed after the full sync, left out at the next delta cycle; at risk: not changed since")
    func droppedAndAtRisk() throws {
        let run = try DeviceRun(log: devLog(cycles: 6), inventory: header
            + sharedRow("DP-DROPPED", 1, "2021-03-08T10:20:00Z")      // after the 10:15 cycle → the 10:30 cycle
            + sharedRow("DP-AT-RISK", 2, "2021-03-07T18:00:00Z")      // before the 10:00 full sync
            + "DP-OWN-CERT,3,Yes,\(other),\(shared),2021-03-08T10:20:00Z,Yes\n"
            + ordinaryRow("PC-1", 4))
        #expect(run.result.status == 0, "\(run.result.standardError)")
        #expect(run.devices.count == 2)
        #expect(run.state("DP-DROPPED") == "dropped")
        #expect(run.device("DP-DROPPED")?["droppedAt"] as? String == "2021-03-08T10:30:00.000Z")
        #expect(run.device("DP-DROPPED")?["lastChange"] as? String == "2021-03-08T10:20:00.000Z")
        #expect(run.device("DP-DROPPED")?["reason"] as? String == "shared-dp-certificate")
        #expect(run.device("DP-DROPPED")?["resourceId"] as? String == "1")
        #expect(run.device("DP-DROPPED")?["check"] as? String == "unchecked")
        #expect(run.state("DP-AT-RISK") == "at-risk")
        #expect(run.device("DP-AT-RISK")?["droppedAt"] is NSNull)
        #expect(run.findingIds == ["device-shared-dp-certificate"])
        let finding = try #require(run.finding("device-shared-dp-certificate"))
        #expect(finding["severity"] as? String == "warning")
        #expect(finding["count"] as? Int == 2)
        let detail = finding["detail"] as? String ?? ""
        #expect(detail.contains("DP-DROPPED (resource ID 1): dropped at 2021-03-08 10:30 UTC"))
        #expect(detail.contains("DP-AT-RISK (resource ID 2): at risk"))
        let remediation = finding["remediation"] as? String ?? ""
        #expect(remediation.contains("same PKI certificate for the distribution point and for its client agent"))
        #expect(remediation.contains("a certificate for the distribution point that is not the client's"))
        #expect(remediation.contains("Microsoft does not document that as a fix"))
        #expect(run.report["verdict"] as? String == "degraded")
        let check = try #require(run.report["deviceCheck"] as? [String: Any])
        #expect(check["devices"] as? Int == 4 && check["distributionPoints"] as? Int == 3 && check["sharedCertificate"] as? Int == 2)
        #expect(check["fullSync"] as? String == "2021-03-08T10:00:00.000Z")
    }

    @Test("a failed delta cycle is passed over; a change after the last cycle leaves the device at risk")
    func failedAndPending() throws {
        let run = try DeviceRun(log: devLog(cycles: 4, failed: [2]), inventory: header
            + sharedRow("DP-A", 1, "2021-03-08T10:20:00Z")     // 10:30 failed → 10:45
            + sharedRow("DP-B", 2, "2021-03-08T10:50:00Z"))    // after the last cycle (10:45)
        #expect(run.state("DP-A") == "dropped")
        #expect(run.device("DP-A")?["droppedAt"] as? String == "2021-03-08T10:45:00.000Z")
        #expect((run.device("DP-A")?["why"] as? String)?.contains("failed and is not counted") == true)
        #expect(run.state("DP-B") == "at-risk")
        #expect((run.device("DP-B")?["why"] as? String)?.contains("the next delta cycle, announced for 2021-03-08 11:00 UTC, drops it") == true)
    }

    @Test("undetermined without a full sync in the logs or a last change; the cloud export settles it")
    func undetermined() throws {
        let inventory = header + sharedRow("DP-OLD", 1, "2021-03-07T09:00:00Z") + sharedRow("DP-LISTED", 2, "2021-03-07T09:00:00Z")
            + sharedRow("DP-NO-TIME", 3, "") + sharedRow("DP-LATE", 4, "2021-03-08T10:20:00Z")
        let run = try DeviceRun(log: devLog(cycles: 4, full: false), inventory: inventory)
        #expect(run.state("DP-OLD") == "undetermined")
        #expect((run.device("DP-OLD")?["why"] as? String)?.contains("cannot be told") == true)
        #expect(run.state("DP-NO-TIME") == "undetermined")
        #expect(run.state("DP-LATE") == "dropped")     // after the first cycle in the logs: after the full sync too
        #expect(run.device("DP-LATE")?["droppedAt"] as? String == "2021-03-08T10:30:00.000Z")

        let cloud = "Device name,Managed by\nDP-LISTED,ConfigMgr\nDP-LATE,ConfigMgr\n"
        let settled = try DeviceRun(log: devLog(cycles: 4, full: false), inventory: inventory, cloud: cloud)
        #expect(settled.state("DP-OLD") == "dropped")
        #expect(settled.device("DP-OLD")?["droppedAt"] is NSNull)
        #expect(settled.state("DP-LISTED") == "at-risk")
        #expect(settled.device("DP-LISTED")?["check"] as? String == "confirmed")
        #expect(settled.state("DP-LATE") == "dropped")
        #expect(settled.device("DP-LATE")?["check"] as? String == "contradicted")
        #expect(settled.findingIds.contains("device-evidence-conflict"))
    }

    @Test("the cloud export confirms or contradicts; devices missing for another reason are listed apart")
    func cloudExport() throws {
        let inventory = header + sharedRow("DP-DROPPED", 1, "2021-03-08T10:20:00Z") + sharedRow("DP-AT-RISK", 2, "2021-03-07T09:00:00Z")
            + ordinaryRow("PC-LISTED", 3) + ordinaryRow("PC-NO-CLIENT", 4, client: "No") + ordinaryRow("PC-SCOPE", 5)
            + "DP-OWN,6,Yes,\(other),\(shared),2021-03-08T10:20:00Z,Yes\n"
        // FQDN in the export, other case: matched by the first label.
        let agree = try DeviceRun(log: devLog(cycles: 4), inventory: inventory,
                                  cloud: "Device name,Managed by\ndp-at-risk.contoso.com,ConfigMgr\nPC-LISTED,ConfigMgr\n")
        #expect(agree.device("DP-DROPPED")?["check"] as? String == "confirmed")
        #expect(agree.device("DP-DROPPED")?["inCloudExport"] as? Bool == false)
        #expect(agree.device("DP-AT-RISK")?["check"] as? String == "confirmed")
        #expect(agree.device("DP-AT-RISK")?["managedBy"] as? String == "ConfigMgr")
        #expect(agree.state("PC-NO-CLIENT") == "missing" && agree.device("PC-NO-CLIENT")?["reason"] as? String == "not-in-cloud-export")
        #expect(agree.device("PC-NO-CLIENT")?["client"] as? Bool == false)
        #expect(agree.state("PC-SCOPE") == "missing")
        #expect(agree.state("DP-OWN") == "missing")    // a distribution point with its own certificate: not blamed on it
        #expect(agree.device("DP-OWN")?["reason"] as? String == "not-in-cloud-export")
        #expect(agree.device("PC-LISTED") == nil)
        #expect(Set(agree.findingIds) == ["device-shared-dp-certificate", "device-not-in-cloud"])
        let missing = try #require(agree.finding("device-not-in-cloud"))
        #expect(missing["severity"] as? String == "info")
        #expect((missing["detail"] as? String)?.contains("PC-NO-CLIENT (resource ID 4, Client: No)") == true)
        #expect((missing["remediation"] as? String)?.contains("Client column") == true)
        #expect((missing["remediation"] as? String)?.contains("certificate issue") == true)

        let disagree = try DeviceRun(log: devLog(cycles: 4), inventory: inventory,
                                     cloud: "Device name,Managed by\nDP-DROPPED,ConfigMgr\nPC-LISTED,ConfigMgr\nPC-NO-CLIENT,ConfigMgr\nPC-SCOPE,ConfigMgr\nDP-OWN,ConfigMgr\n")
        #expect(disagree.state("DP-DROPPED") == "dropped")          // the state stays the inventory's
        #expect(disagree.device("DP-DROPPED")?["check"] as? String == "contradicted")
        #expect(disagree.state("DP-AT-RISK") == "at-risk")
        #expect(disagree.device("DP-AT-RISK")?["check"] as? String == "contradicted")
        let conflict = try #require(disagree.finding("device-evidence-conflict"))
        #expect(conflict["severity"] as? String == "warning")
        #expect(conflict["count"] as? Int == 2)
        #expect((conflict["detail"] as? String)?.contains("the cloud export lists it, Managed by ConfigMgr, though it dropped at 2021-03-08 10:30 UTC") == true)
        #expect(!disagree.findingIds.contains("device-not-in-cloud"))
    }

    @Test("device lines from user rules confirm or contradict")
    func deviceLines() throws {
        let rules = """
        {"rules": [
          {"id": "my.uploaded", "event": "device.uploaded", "pattern": "^Sent device (?<device>\\\\S+)"},
          {"id": "my.removed", "event": "device.removed", "pattern": "^Dropped resource (?<resourceId>\\\\d+)"}
        ]}
        """
        let log = devLog(cycles: 5, extra: [(0.005, "Sent device DP-AT-RISK"), (30.005, "Dropped resource 1"),
                                             (45.005, "Sent device DP-DROPPED"), (45.006, "Dropped resource 2"),
                                             (15.005, "Sent device NOT-IN-INVENTORY")])
        let run = try DeviceRun(log: log, inventory: header + sharedRow("DP-DROPPED", 1, "2021-03-08T10:20:00Z")
                                    + sharedRow("DP-AT-RISK", 2, "2021-03-07T09:00:00Z"), rules: rules)
        #expect(run.result.status == 0, "\(run.result.standardError)")
        let dropped = try #require(run.device("DP-DROPPED"))
        #expect((dropped["confirmations"] as? [String])?.first?.contains("removed at 2021-03-08 10:30 UTC (rule my.removed)") == true)
        #expect((dropped["contradictions"] as? [String])?.first?.contains("uploaded at 2021-03-08 10:45 UTC") == true)
        let atRisk = try #require(run.device("DP-AT-RISK"))
        #expect((atRisk["confirmations"] as? [String])?.first?.contains("uploaded in the full sync") == true)
        #expect((atRisk["contradictions"] as? [String])?.first?.contains("removed at 2021-03-08 10:45 UTC") == true)
        let check = try #require(run.report["deviceCheck"] as? [String: Any])
        #expect(check["deviceEvents"] as? Int == 5 && check["unmatchedDeviceEvents"] as? Int == 1)
    }

    @Test("read from a file, the inventory keeps only the devices judged and counts the rest as a whole read does")
    func streamedInventory() throws {
        let folder = TemporaryDirectory()
        var csv = header + sharedRow("DP-DROPPED", 1, "2021-03-08T10:20:00Z") + "DP-OWN,2,Yes,\(other),\(shared),2021-03-08T10:20:00Z,Yes\n"
        var cloud = "Device name,Managed by\nDP-DROPPED,ConfigMgr\nDP-OWN,ConfigMgr\n"
        for index in 0..<300 {
            csv += ordinaryRow("PC-\(index)", 100 + index)
            if index % 100 != 7 { cloud += "pc-\(index).contoso.com,ConfigMgr\n" }   // by first label, other case
        }
        csv += ordinaryRow("pc-5", 999) + "PC-BAD,998,maybe,,,2021-03-08T09:00:00Z,Yes\n"
        let path = try folder.write("inventory.csv", csv)
        let cloudPath = try folder.write("cloud.csv", cloud)
        var export = try CloudExport.load(path: cloudPath)
        let streamed = try Inventory.load(path: path, cloud: export)
        let whole = try Inventory.parse(Array(csv.utf8), file: path)
        // Without a rule that gives device lines, the devices not kept are not even hashed.
        let lean = try Inventory.load(path: path, options: InventoryReadOptions(deviceLines: false), cloud: export)
        #expect(lean.others == nil && streamed.others != nil && lean.devices.map(\.name) == streamed.devices.map(\.name))

        #expect(streamed.deviceCount == 302 && whole.devices.count == 302)
        #expect(streamed.distributionPoints == 2 && streamed.sharedCertificate == 1)
        #expect(streamed.skippedCount == 2 && streamed.skipped.map(\.reason) == whole.skipped.map(\.reason))
        #expect(streamed.skipped.map(\.line) == [304, 305])
        // Kept: the one sharing its certificate, and the three the export lacks.
        #expect(streamed.devices.map(\.name) == ["DP-DROPPED", "PC-7", "PC-107", "PC-207"])
        #expect(streamed.listedInCloud == 299)
        #expect(export.count == 299 && export.lists("PC-0") && !export.lists("PC-7") && export.entries.isEmpty)
        try export.fetchEntries(for: streamed.devices)
        #expect(export.entries.map(\.name) == ["DP-DROPPED"] && export.entry(for: "dp-dropped")?.managedBy == "ConfigMgr")

        // A device line naming a device counted but not kept is an inventory device, not unmatched.
        let rules = #"{"rules": [{"id": "my.uploaded", "event": "device.uploaded", "pattern": "^Sent device (?<device>\\S+)"}]}"#
        let run = try DeviceRun(log: devLog(cycles: 3, extra: [(15.005, "Sent device PC-12"), (15.006, "Sent device NOT-THERE")]),
                                inventory: csv, cloud: cloud, rules: rules)
        #expect(run.result.status == 0, "\(run.result.standardError)")
        let check = try #require(run.report["deviceCheck"] as? [String: Any])
        #expect(check["devices"] as? Int == 302 && check["skippedRows"] as? Int == 2)
        #expect(check["deviceEvents"] as? Int == 2 && check["unmatchedDeviceEvents"] as? Int == 1)
        #expect(check["inventoryDevicesListed"] as? Int == 299 && check["cloudDevices"] as? Int == 299)
        #expect(Set(run.devices.compactMap { $0["name"] as? String }) == ["DP-DROPPED", "PC-7", "PC-107", "PC-207"])
        // The export's evidence counts every row it lists, not the few rows read again.
        #expect(run.result.standardOutput.contains("not among the 299 devices the export lists"))
    }

    @Test("of many bad rows the first thousand keep their reasons, every one is counted and the count reported")
    func manySkippedRows() throws {
        var csv = header + sharedRow("DP-GOOD", 1, "2021-03-08T10:20:00Z")
        for index in 0..<1_500 { csv += "PC-\(index),\(index),maybe,,,2021-03-08T09:00:00Z,Yes\n" }
        let run = try DeviceRun(log: devLog(cycles: 2), inventory: csv)
        #expect(run.result.status == 0)
        #expect((run.report["deviceCheck"] as? [String: Any])?["skippedRows"] as? Int == 1_500)
        #expect(run.result.standardError.contains("inventory.csv: 1480 more rows skipped"))
        let folder = TemporaryDirectory()
        let inventory = try Inventory.load(path: try folder.write("inventory.csv", csv))
        #expect(inventory.skipped.count == 1_000 && inventory.skippedCount == 1_500)
        #expect(inventory.skipped.last?.line == 1_002)
    }

    @Test("a device rule must not claim to be documented and must name a device")
    func deviceRuleChecks() throws {
        let folder = TemporaryDirectory()
        let claims = try folder.write("a.json", #"{"rules": [{"id": "x", "event": "device.removed", "pattern": "^Gone (?<device>\\S+)", "documented": true}]}"#)
        let nameless = try folder.write("b.json", #"{"rules": [{"id": "y", "event": "device.uploaded", "pattern": "^Sent \\S+"}]}"#)
        let first = runCLI(["rules", "--rules", claims])
        #expect(first.status == 2)
        #expect(first.standardError.contains("rule 'x'") && first.standardError.contains("documented\": false"))
        let second = runCLI(["rules", "--rules", nameless])
        #expect(second.status == 2)
        #expect(second.standardError.contains("rule 'y'") && second.standardError.contains("(?<device>"))
    }

    // MARK: Bad input

    @Test("a missing required column stops the run with exit 2, naming it and the columns found")
    func missingColumn() throws {
        let run = try DeviceRun(log: devLog(cycles: 2), inventory: "Name;DP;Client Thumbprint;Last Change\nA;Yes;\(shared);2021-03-08T10:00:00Z\n")
        #expect(run.result.status == 2)
        let message = run.result.standardError
        #expect(message.contains("no column for the distribution point certificate thumbprint"))
        #expect(message.contains("'DP Certificate Thumbprint'"))
        #expect(message.contains("Columns found (semicolon-separated, line 1): 'Name', 'DP', 'Client Thumbprint', 'Last Change'"))
        #expect(run.result.standardOutput.isEmpty)

        let cloud = try DeviceRun(log: devLog(cycles: 2), inventory: header + ordinaryRow("A", 1), cloud: "Managed by,OS\nConfigMgr,Windows\n")
        #expect(cloud.result.status == 2)
        #expect(cloud.result.standardError.contains("cloud export") && cloud.result.standardError.contains("no column for the device name"))
    }

    @Test("a malformed row is reported with its line number and skipped")
    func malformedRows() throws {
        let inventory = header + sharedRow("DP-GOOD", 1, "2021-03-08T10:20:00Z")
            + "DP-BAD-TIME,2,Yes,\(shared),\(shared),next tuesday,Yes\n"
            + "DP-BAD-FLAG,3,maybe,\(shared),\(shared),2021-03-08T10:20:00Z,Yes\n"
            + "DP-BAD-PRINT,4,Yes,9F3C,\(shared),2021-03-08T10:20:00Z,Yes\n"
            + "TOO,MANY,No,,,2021-03-08T10:20:00Z,Yes,extra\n"
            + ",6,No,,,2021-03-08T10:20:00Z,Yes\n"
            + sharedRow("DP-GOOD", 7, "2021-03-08T10:20:00Z")
            + "\"DP-OPEN,8,Yes\n"
        let run = try DeviceRun(log: devLog(cycles: 4), inventory: inventory)
        #expect(run.result.status == 0)
        let errors = run.result.standardError
        #expect(errors.contains("inventory.csv line 3: 'next tuesday' in column 'Last Change' is not a time"))
        #expect(errors.contains("inventory.csv line 4: 'maybe' in column 'Is Distribution Point' is not yes or no; row skipped"))
        #expect(errors.contains("inventory.csv line 5: '9F3C' in column 'Client Certificate Thumbprint' is not a certificate thumbprint"))
        #expect(errors.contains("inventory.csv line 6: 8 values where the header has 7 columns"))
        #expect(errors.contains("inventory.csv line 7: no device name"))
        #expect(errors.contains("inventory.csv line 8: device DP-GOOD is already on line 2"))
        #expect(errors.contains("inventory.csv line 9: a quoted value opened on line 9 is never closed"))
        #expect(run.devices.map { $0["name"] as? String } == ["DP-GOOD"])
        #expect((run.report["deviceCheck"] as? [String: Any])?["skippedRows"] as? Int == 7)
    }

    @Test("the analysis stage hands on why each row was skipped as a typed fact")
    func skipReasons() throws {
        let csv = header + sharedRow("DP-GOOD", 1, "2021-03-08T10:20:00Z")
            + "DP-BAD-TIME,2,Yes,\(shared),\(shared),next tuesday,Yes\n"
            + "DP-BAD-FLAG,3,maybe,\(shared),\(shared),2021-03-08T10:20:00Z,Yes\n"
            + "DP-BAD-PRINT,4,Yes,9F3C,\(shared),2021-03-08T10:20:00Z,Yes\n"
            + "TOO,MANY,No,,,2021-03-08T10:20:00Z,Yes,extra\n"
            + ",6,No,,,2021-03-08T10:20:00Z,Yes\n"
            + sharedRow("dp-good", 7, "2021-03-08T10:20:00Z")
            + "DP-NO-DAY,9,Yes,\(shared),\(shared),2021-02-30T10:20:00Z,Yes\n"
            + "\"DP-OPEN,8,Yes\n"
        let inventory = try Inventory.parse(Array(csv.utf8), file: "i.csv")
        #expect(inventory.skipped.map(\.line) == [3, 4, 5, 6, 7, 8, 9, 10])
        #expect(inventory.skipped.map(\.reason) == [
            .unreadableTime(text: "next tuesday", column: "Last Change"),
            .notYesNo(text: "maybe", column: "Is Distribution Point"),
            .notThumbprint(text: "9F3C", column: "Client Certificate Thumbprint"),
            .fieldCount(values: 8, columns: 7),
            .noName(column: "Name"),
            .duplicate(device: "dp-good", firstLine: 2),
            .unreadableTime(text: "2021-02-30T10:20:00Z", column: "Last Change"),
            .csv(.unclosedQuote(openedOn: 10)),
        ])
        #expect(SkipReason.fieldCount(values: 1, columns: 7).sentence == "1 value where the header has 7 columns")
        let doubled = try Inventory.parse(Array("Name,Device Name,DP,Client Thumbprint,DP Thumbprint,Last Change\nA,a,No,,,\n".utf8), file: "i.csv")
        #expect(doubled.notes == [.ambiguousColumn(.name, chosen: "Name", other: "Device Name")])
        #expect(doubled.notes.first?.sentence == "columns 'Name' and 'Device Name' could both be the device name; 'Name' is used")
        let empty = try CloudExport.parse(Array("Device name,Managed by\n".utf8), file: "c.csv")
        #expect(empty.notes == [.listsNoDevice])
    }

    @Test("an inventory with no distribution point says so")
    func noDistributionPoint() throws {
        let run = try DeviceRun(log: devLog(cycles: 2), inventory: header + ordinaryRow("PC-1", 1) + ordinaryRow("PC-2", 2))
        #expect(run.result.status == 0)
        #expect(run.result.standardError.contains("no device is marked as a distribution point (column 'Is Distribution Point')"))
        #expect(run.findingIds == ["device-no-distribution-point"])
        #expect(run.finding("device-no-distribution-point")?["severity"] as? String == "info")
        #expect(run.report["verdict"] as? String == "healthy")
        let text = try DeviceRun(log: devLog(cycles: 2), inventory: header + ordinaryRow("PC-1", 1), format: "text")
        #expect(text.result.standardOutput.contains("1 device, 0 distribution points."))
    }

    @Test("an unclosed quote in the inventory: every row it swallowed is named on standard error")
    func unclosedQuote() throws {
        let folder = TemporaryDirectory()
        let log = try folder.write("CMGatewaySyncUploadWorker.log", devLog(cycles: 2))
        let rows = ordinaryRow("PC-1", 1) + "PC-2,2,No,\"open,,,\n" + ordinaryRow("PC-3", 3) + ordinaryRow("PC-4", 4) + ordinaryRow("PC-5", 5)
        let inventory = try folder.write("inventory.csv", header + rows)
        let result = runCLI(["review", log, "--inventory", inventory])
        #expect(result.standardError.contains("\(inventory) line 3: a quoted value opened on line 3 is never closed"), "\(result.standardError)")
        for line in 4...6 {
            #expect(result.standardError.contains("\(inventory) line \(line): swallowed by the quoted value opened on line 3, which is never closed; row skipped"))
        }
    }

    @Test("unreadable, empty or useless files and bad options are named, exit 2")
    func unreadable() throws {
        let folder = TemporaryDirectory()
        let log = try folder.write("CMGatewaySyncUploadWorker.log", devLog(cycles: 2))
        let good = try folder.write("inventory.csv", header + ordinaryRow("PC-1", 1))
        let empty = try folder.write("empty.csv", "")
        let useless = try folder.write("useless.csv", header + "A,1,maybe,,,x,Yes\n")
        let ambiguous = try folder.write("ambiguous.csv", header + "A,1,No,,,03/04/2021 10:00,Yes\n")
        func run(_ extra: [String]) -> RunResult { runCLI(["review", log] + extra) }

        let missing = run(["--inventory", folder.path + "/nope.csv"])
        #expect(missing.status == 2 && missing.standardError.contains("cannot read the inventory \(folder.path)/nope.csv: no such file"))
        let directory = run(["--inventory", folder.path])
        #expect(directory.status == 2 && directory.standardError.contains("it is a folder"))
        let noCloud = run(["--inventory", good, "--cloud", folder.path + "/nope.csv"])
        #expect(noCloud.status == 2 && noCloud.standardError.contains("cannot read the cloud export"))
        #expect(run(["--inventory", empty]).standardError.contains("inventory \(empty) is empty"))
        let none = run(["--inventory", useless])
        #expect(none.status == 2 && none.standardError.contains("holds no usable device row: all 1 row was skipped"))
        let guess = run(["--inventory", ambiguous])
        #expect(guess.status == 2)
        #expect(guess.standardError.contains("line 2: '03/04/2021 10:00'"))
        #expect(guess.standardError.contains("could be 4 March or 3 April 2021"))
        #expect(guess.standardError.contains("--inventory-date-order dmy"))
        #expect(run(["--inventory", ambiguous, "--inventory-date-order", "dmy"]).status == 0)
        #expect(run(["--cloud", good]).status == 2)
        #expect(run(["--inventory", good, "--inventory-date-order", "ymd"]).status == 2)
        #expect(run(["--inventory", good, "--inventory-utc-offset", "CET"]).status == 2)
        #expect(run(["--inventory-utc-offset", "+01:00"]).status == 2)
    }

    @Test("times without a zone are read as UTC and the report says so, or shifted by --inventory-utc-offset")
    func utcOffset() throws {
        let inventory = header + sharedRow("DP", 1, "2021-03-08 11:20")
        let asUTC = try DeviceRun(log: devLog(cycles: 7), inventory: inventory)
        #expect(asUTC.device("DP")?["droppedAt"] as? String == "2021-03-08T11:30:00.000Z")
        #expect((asUTC.report["deviceCheck"] as? [String: Any])?["timesAssumedUtc"] as? Int == 1)
        #expect((asUTC.finding("device-shared-dp-certificate")?["detail"] as? String)?.contains("--inventory-utc-offset") == true)
        let shifted = try DeviceRun(log: devLog(cycles: 7), inventory: inventory, arguments: ["--inventory-utc-offset", "+01:00"])
        #expect(shifted.device("DP")?["droppedAt"] as? String == "2021-03-08T10:30:00.000Z")
        #expect((shifted.report["deviceCheck"] as? [String: Any])?["timesAssumedUtc"] as? Int == 0)
    }

    @Test("the text report has a devices section")
    func textSection() throws {
        let run = try DeviceRun(log: devLog(cycles: 4), inventory: header + sharedRow("DP-DROPPED", 1, "2021-03-08T10:20:00Z")
                                    + ordinaryRow("PC-GONE", 2, client: "No"),
                                cloud: "Device name,Managed by\n", format: "text")
        let text = run.result.standardOutput
        #expect(text.contains("Devices (times UTC)"))
        #expect(text.contains("Distribution points sharing one PKI certificate with their client"))
        #expect(text.contains("DP-DROPPED"))
        #expect(text.contains("dropped 2021-03-08 10:30"))
        #expect(text.contains("Missing from the cloud export for another reason"))
        #expect(text.contains("PC-GONE"))
        #expect(run.result.standardError.contains("it lists no device"))
        #expect(!text.contains("\u{1B}["))
    }

    // MARK: Samples

    @Test("the dp-* samples: states, drop times, checks", arguments: ["dp-shared-certificate", "dp-certificate-contradiction"])
    func samples(_ scenario: String) throws {
        struct Expected: Decodable {
            struct Device: Decodable { var name: String; var state: String; var droppedAt: String? }
            var args: [String]
            var devices: [Device]
        }
        let data = try Data(contentsOf: SampleScenarioTests.root.appendingPathComponent(scenario).appendingPathComponent("expected.json"))
        let expected = try JSONDecoder().decode(Expected.self, from: data)
        let folder = SampleScenarioTests.root.appendingPathComponent(scenario).path
        let args = expected.args.map { argument in
            FileManager.default.fileExists(atPath: folder + "/" + argument) ? folder + "/" + argument : argument
        }
        let named = try SampleScenarioTests.review([folder] + args)
        #expect(named.errors.isEmpty, "\(named.errors)")
        let devices = named.report["devices"] as? [[String: Any]] ?? []
        #expect(devices.map { $0["name"] as? String ?? "" } == expected.devices.map(\.name))
        for (have, want) in zip(devices, expected.devices) {
            #expect(have["state"] as? String == want.state)
            #expect(have["droppedAt"] as? String == want.droppedAt, "\(want.name)")
        }
        // Piped through standard input: the same devices.
        var piped: [UInt8] = []
        for input in try InputResolver.resolve([folder]) {
            if case .file(let path) = input.location { piped += try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }
        }
        let viaStdin = try SampleScenarioTests.review(args, stdin: piped)
        let stdinDevices = viaStdin.report["devices"] as? [[String: Any]] ?? []
        #expect(stdinDevices.map { "\($0["name"] ?? ""):\($0["state"] ?? ""):\($0["droppedAt"] ?? "")" }
                == devices.map { "\($0["name"] ?? ""):\($0["state"] ?? ""):\($0["droppedAt"] ?? "")" })

        let byName = Dictionary(uniqueKeysWithValues: devices.map { ($0["name"] as? String ?? "", $0) })
        if scenario == "dp-shared-certificate" {
            #expect(byName["CONTOSO-DP01"]?["check"] as? String == "confirmed")
            #expect(byName["CONTOSO-DP02"]?["check"] as? String == "confirmed")
            #expect(byName["LAB-PC-07"]?["client"] as? Bool == false)
            #expect(byName["WKS-0311"]?["reason"] as? String == "not-in-cloud-export")
        } else {
            #expect(byName["NLDP-01"]?["check"] as? String == "confirmed")
            #expect((byName["NLDP-01"]?["confirmations"] as? [String])?.count == 2)
            #expect(byName["NLDP-02"]?["check"] as? String == "contradicted")
            #expect(byName["NLDP-03"]?["check"] as? String == "confirmed")
            let check = named.report["deviceCheck"] as? [String: Any] ?? [:]
            #expect(check["dateOrder"] as? String == "dmy" && check["dateOrderSource"] as? String == "file")
            #expect(check["timesAssumedUtc"] as? Int == 0)
            #expect(check["inventoryDevicesListed"] as? Int == 7)   // CAFÉ-KASSA-01 read from Windows-1252 and matched
        }
    }
}
