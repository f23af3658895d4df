import LogMatching

/// A rule that spent its limit budget (`CompiledCatalog.ruleLimitBudget`) is
/// switched off in every classifier that meets it again. The gate that
/// combined it with the other floating rules would keep hitting the same
/// limit on every record, so the classifier compiles its own gate without it.
extension Classifier {
    func switchOff(_ index: Int) {
        guard !disabled[index] else { return }
        disabled[index] = true
        var rebuilt = Set<Int>()
        for plan in compiled.plans {
            guard let gate = plan.gate, plan.floating.contains(index), rebuilt.insert(gate).inserted else { continue }
            let remaining = plan.floating.filter { !disabled[$0] }.map { compiled.entries[$0].rule.pattern }
            // One rule left, or none: no combination needed; an empty pattern opens the gate for each record.
            let source = CompiledCatalog.gateSource(for: remaining) ?? ""
            if let pattern = try? Pattern(source) { gates[gate] = pattern.matcher() }
        }
    }
}
