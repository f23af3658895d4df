import LogAnalysis

extension SpillProblem {
    /// The sentence for standard error: what failed, the system's reason, and that
    /// nothing is lost (the cycles stay in memory).
    package var message: String {
        switch step {
        case .create(let folder):
            "could not create a temporary file in \(folder) (\(systemMessage)): the upload cycles stay in memory"
        case .write:
            "could not write the temporary file (\(systemMessage)): the upload cycles stay in memory"
        }
    }
}
