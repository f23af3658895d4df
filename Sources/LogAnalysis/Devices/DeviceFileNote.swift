/// Something about `--inventory` or `--cloud` worth a line on standard error that does
/// not skip a row. The sentence is written in LogFindings (`DeviceFileNote.sentence`).
package enum DeviceFileNote: Sendable, Equatable {
    /// Two headers could both be `column`; `chosen` is read, `other` ignored.
    case ambiguousColumn(DeviceColumn, chosen: String, other: String)
    /// The cloud export lists no device at all.
    case listsNoDevice
}
