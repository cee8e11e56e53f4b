package d2l4j.tensor;

/**
 * What a backend did, counted since it opened: kernel launches, device allocations (and their bytes),
 * bytes copied host→device and device→host, and waits (a blocking read or a finish: the host stops
 * until the device catches up). A steady training step on a device should show launches, the batch's
 * bytes up, and nothing else; {@link #minus} gives one step's share. The CPU backend counts only the arrays its
 * pool had to make inside an arena (allocations and their bytes).
 */
public record DeviceCounters(long launches, long allocations, long allocatedBytes, long bytesUp, long bytesDown, long waits) {
    public static final DeviceCounters NONE = new DeviceCounters(0, 0, 0, 0, 0, 0);

    public DeviceCounters minus(DeviceCounters o) {
        return new DeviceCounters(launches - o.launches, allocations - o.allocations, allocatedBytes - o.allocatedBytes,
                bytesUp - o.bytesUp, bytesDown - o.bytesDown, waits - o.waits);
    }

    @Override
    public String toString() {
        return String.format("%d launches, %d allocations (%,d B), up %,d B, down %,d B, %d waits", launches, allocations,
                allocatedBytes, bytesUp, bytesDown, waits);
    }
}
