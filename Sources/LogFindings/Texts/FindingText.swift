import LogInput
import LogRules
import LogAnalysis

/// Where the fact behind a finding comes from, so that a reader can weigh it.
package enum TextSource: String, Sendable, CaseIterable {
    /// Microsoft documents it (the note says where).
    case documented
    /// cmlogcheck's own choice: a threshold, a grouping, a reading of the logs.
    case ownChoice = "own-choice"
    /// Neither documented nor chosen: what the logs seem to show, said as such.
    case assumed
}

/// The extra templates a finding renders besides its title, detail and
/// remediation: a line of evidence cmlogcheck writes itself, or one item of
/// a list the detail names (a device, a cause).
package enum TextFragment: String, Sendable, CaseIterable {
    case evidence, item
}

/// One finding's texts from finding-texts.json, checked by the loader.
package struct FindingText: Sendable {
    package var id: FindingID
    package var severity: Severity
    package var source: TextSource
    package var sourceNote: String
    /// Each parameter the templates may use, with what it holds.
    package var parameters: [String: String]
    package var title: TextTemplate
    package var detail: TextTemplate
    package var remediation: TextTemplate
    package var fragments: [TextFragment: TextTemplate]
    package var sample: TextValues
    /// A stand-in when the texts could not be loaded: nothing to check values against.
    var isStandIn = false

    /// The template, filled in. A debug build stops on a value the entry does not
    /// declare or a name left without one: the code and the data disagree.
    package func render(_ template: TextTemplate, _ values: TextValues) -> String {
        let (text, missing) = template.render(values)
        if !isStandIn {
            let undeclared = values.keys.filter { parameters[$0] == nil }.sorted()
            assert(undeclared.isEmpty, "\(id.rawValue): values \(undeclared) are not among the parameters finding-texts.json declares")
            assert(missing.isEmpty, "\(id.rawValue): no value for \(missing) in \"\(template.source)\"")
        }
        return text
    }

    package func fragment(_ fragment: TextFragment, _ values: TextValues) -> String {
        // Without its words a stand-in still shows the facts: the values, by name.
        if isStandIn { return values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text)" }.joined(separator: ", ") }
        guard let template = fragments[fragment] else {
            assertionFailure("\(id.rawValue) has no \(fragment.rawValue) fragment")
            return ""
        }
        return render(template, values)
    }

    /// The finding, its texts rendered from `values`. The severity is the
    /// entry's unless a fact decides it (`upload-exception`'s worst level).
    package func finding(_ values: TextValues, severity: Severity? = nil, count: Int, first: Instant?, last: Instant?,
                         evidence: [Evidence]) -> Finding {
        Finding(id: id, severity: isStandIn ? self.severity : severity ?? self.severity,
                title: render(title, values), detail: render(detail, values), remediation: render(remediation, values),
                count: count, first: first, last: last, evidence: evidence)
    }

    package func finding(_ values: TextValues, severity: Severity? = nil, occurrences seen: Occurrences) -> Finding {
        finding(values, severity: severity, count: seen.count, first: seen.first, last: seen.last, evidence: seen.sample)
    }

    /// What a report says when the texts cannot be loaded: the finding still
    /// counts, as an error, so that a broken install cannot pass for a healthy site.
    static func standIn(_ id: FindingID, because error: FindingTextError) -> FindingText {
        FindingText(id: id, severity: .error, source: .ownChoice, sourceNote: "", parameters: [:],
                    title: TextTemplate(literal: "\(id.rawValue) (its text could not be loaded)"),
                    detail: TextTemplate(literal: error.description),
                    remediation: TextTemplate(literal: "Correct or unset \(FindingTexts.environmentVariable) (the built-in texts are used without it), or reinstall cmlogcheck."),
                    fragments: [:], sample: [:], isStandIn: true)
    }
}

extension FindingID {
    /// The fragments the code renders for this finding: the loader requires
    /// exactly these, so that a renamed or forgotten one fails at load time.
    package var fragments: Set<TextFragment> {
        switch self {
        case .noSyncActivity, .syncStalled, .syncLate, .deviceNoDistributionPoint: [.evidence]
        case .serviceUnreachable, .deviceSharedDPCertificate, .deviceEvidenceConflict, .deviceNotInCloud: [.item]
        case .nextRunUnreadable, .uploadUnauthorized, .onboardingRejected, .notificationUnauthorized, .httpError,
             .uploadException, .actionUnauthorized, .actionNotForwarded, .actionNotDelivered, .unrecognizedErrors,
             .signingCertificateMismatch, .sqlConnectionClosed, .adminServiceUPNMismatch, .adminServiceSQLTimeout,
             .providerForbidden, .tlsFailure: []
        case .endpointCheckFailed, .pushPartiallyFailed: [.item]
        }
    }
}
