import LogRules

/// What a finding rests on. A finding whose every line was recognised by a rule that
/// only a third party reports, or that is assumed, says so in its detail, so that a guess
/// never reads as a documented fact (issue 12, item 6). The words are data
/// (`basisNotes` in finding-texts.json).
enum FindingBasis {
    static func mark(_ finding: Finding) -> Finding {
        let ruled = finding.evidence.compactMap { evidence in evidence.provenance.map { (rule: evidence.rule ?? "", provenance: $0) } }
        guard let strongest = ruled.map(\.provenance).min(by: { rank($0) < rank($1) }) else { return finding }
        var marked = finding
        marked.basis = strongest
        if strongest == .reported || strongest == .assumed {
            let rules = Array(Set(ruled.map(\.rule))).sorted()
            marked.detail += " " + FindingTexts.basisNote(strongest, rules: rules)
        }
        return marked
    }

    /// Strongest first, as `Provenance` lists them.
    static func rank(_ provenance: Provenance) -> Int {
        Provenance.allCases.firstIndex(of: provenance) ?? Provenance.allCases.count
    }
}
