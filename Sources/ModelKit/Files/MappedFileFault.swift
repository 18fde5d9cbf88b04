#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Turns a bus error on a mapped file (another process truncated it while it was being read) into a
/// message naming the file and exit status `exitCode`, instead of death by SIGBUS.
///
/// `MappedFile` registers each mapping here; the first registration installs the handler. The handler
/// only reads the fixed slot table and calls `write` and `_exit`, which are async-signal-safe. A fault
/// outside every mapping keeps the default action (the program dies of the signal, as it would have).
public enum MappedFileFault {
    /// The exit status after a fault on a mapped file (`EX_IOERR`).
    public static let exitCode: Int32 = 74

    /// One mapping: its address range and the message the handler writes (a C string, owned here).
    private struct Slot {
        var start: UInt = 0
        var end: UInt = 0
        var message: UnsafeMutablePointer<CChar>? = nil
    }

    private static let capacity = 256
    /// Written only under `lock`; read by the handler, which cannot lock.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Slot> = {
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        return slots
    }()
    private static let lock = Mutex<Bool>(false)

    static func register(base: UnsafeRawPointer, count: Int, path: String) {
        let message = strdup("quantbench: \(path) changed while it was being read (it was truncated under its memory map); stopped\n")
        lock.withLock { installed in
            if !installed {
                installHandler()
                installed = true
            }
            guard let free = (0..<capacity).first(where: { slots[$0].start == 0 }) else {
                Glibc.free(message)
                return
            }
            slots[free] = Slot(start: UInt(bitPattern: base), end: UInt(bitPattern: base) + UInt(count), message: message)
        }
    }

    static func unregister(base: UnsafeRawPointer) {
        lock.withLock { _ in
            guard let index = (0..<capacity).first(where: { slots[$0].start == UInt(bitPattern: base) }) else { return }
            let message = slots[index].message
            slots[index] = Slot()
            Glibc.free(message)
        }
    }

    private static func installHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { _, info, _ in
            if let info {
                let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
                for i in 0..<MappedFileFault.capacity {
                    let slot = MappedFileFault.slots[i]
                    if slot.start != 0, slot.start <= address, address < slot.end, let message = slot.message {
                        _ = write(2, message, strlen(message))
                        _exit(MappedFileFault.exitCode)
                    }
                }
            }
            // Not one of ours: the default action, on the return to the faulting instruction.
            signal(SIGBUS, SIG_DFL)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO
        sigaction(SIGBUS, &action, nil)
    }
}
