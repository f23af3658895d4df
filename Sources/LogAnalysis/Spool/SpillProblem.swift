#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a spool stayed in memory: the step that failed and the system's error number.
/// The facts only; the command that prints it writes the sentence.
package struct SpillProblem: Sendable, Hashable {
    package enum Step: Sendable, Hashable {
        /// The temporary file could not be made in `folder`.
        case create(folder: String)
        /// The temporary file could not be written (a full disk, say).
        case write
    }

    package var step: Step
    package var errorNumber: Int32

    /// The system's text for the error (strerror).
    package var systemMessage: String { String(cString: strerror(errorNumber)) }
}
