/**
 * Field numbers of the Perfetto messages the writer encodes by hand, named as protobufjs names
 * the fields of `proto/perfetto_trace_subset.proto` (camelCase). The .proto stays the source:
 * test/outputs/perfetto-encoding.test.ts checks every number here against the loaded schema.
 */

export const FIELDS = {
  Trace: { packet: 1 },
  TracePacket: {
    ftraceEvents: 1,
    processTree: 2,
    clockSnapshot: 6,
    timestamp: 8,
    trustedPacketSequenceId: 10,
    trackEvent: 11,
    internedData: 12,
    sequenceFlags: 13,
    systemInfo: 45,
    timestampClockId: 58,
    tracePacketDefaults: 59,
    trackDescriptor: 60,
    perfSample: 66,
  },
  TracePacketDefaults: { trackEventDefaults: 11, timestampClockId: 58 },
  TrackEventDefaults: { trackUuid: 11 },
  ClockSnapshot: { clocks: 1 },
  'ClockSnapshot.Clock': { clockId: 1, timestamp: 2, isIncremental: 3 },
  TrackEvent: {
    categoryIids: 3,
    debugAnnotations: 4,
    type: 9,
    nameIid: 10,
    trackUuid: 11,
    doubleCounterValue: 44,
    flowIds: 47,
    terminatingFlowIds: 48,
    callstack: 55,
  },
  'TrackEvent.InlineCallstack': { frames: 1 },
  'TrackEvent.InlineCallstack.Frame': { functionName: 1 },
  EventCategory: { iid: 1, name: 2 },
  EventName: { iid: 1, name: 2 },
  DebugAnnotation: { boolValue: 2, intValue: 4, doubleValue: 5, stringValue: 6, name: 10 },
  TrackDescriptor: { uuid: 1, name: 2, process: 3, thread: 4, parentUuid: 5, counter: 8 },
  ProcessDescriptor: { pid: 1, processName: 6 },
  ThreadDescriptor: { pid: 1, tid: 2, threadName: 5 },
  InternedData: { eventCategories: 1, eventNames: 2, functionNames: 5, frames: 6, callstacks: 7 },
  InternedString: { iid: 1, str: 2 },
  Frame: { iid: 1, functionNameId: 2 },
  Callstack: { iid: 1, frameIds: 2 },
  PerfSample: { cpu: 1, pid: 2, tid: 3, callstackIid: 4, cpuMode: 5 },
  FtraceEventBundle: { cpu: 1, event: 2 },
  FtraceEvent: {
    timestamp: 1,
    pid: 2,
    schedSwitch: 4,
    schedWaking: 20,
    softirqEntry: 24,
    softirqExit: 25,
    irqHandlerEntry: 36,
    irqHandlerExit: 37,
    sysEnter: 329,
    sysExit: 330,
  },
  SchedSwitchFtraceEvent: { prevComm: 1, prevPid: 2, prevPrio: 3, prevState: 4, nextComm: 5, nextPid: 6, nextPrio: 7 },
  SchedWakingFtraceEvent: { comm: 1, pid: 2, prio: 3, success: 4, targetCpu: 5 },
  IrqHandlerEntryFtraceEvent: { irq: 1, name: 2 },
  IrqHandlerExitFtraceEvent: { irq: 1, ret: 2 },
  SysEnterFtraceEvent: { id: 1, args: 2 },
  SysExitFtraceEvent: { id: 1, ret: 2 },
  SoftirqEntryFtraceEvent: { vec: 1 },
  SoftirqExitFtraceEvent: { vec: 1 },
  ProcessTree: { processes: 1, threads: 2 },
  'ProcessTree.Process': { pid: 1, ppid: 2, cmdline: 3 },
  'ProcessTree.Thread': { tid: 1, name: 2, tgid: 3 },
  SystemInfo: { utsname: 1 },
  Utsname: { sysname: 1, release: 3, machine: 4 },
} as const;

export const PK = FIELDS.TracePacket;
export const TE = FIELDS.TrackEvent;
export const FE = FIELDS.FtraceEvent;

/** Sequence 1: stack samples and metadata, absolute timestamps. */
export const SEQ = 1;
/** Sequence of the first track; track id N writes on FIRST_TRACK_SEQ + N. */
export const FIRST_TRACK_SEQ = 2;
/** The sequence-scoped incremental clock of each track sequence, and the trace clock. */
export const CLOCK_INCREMENTAL = 64;
export const CLOCK_BOOTTIME = 6;
export const SEQ_CLEARED = 1;
export const SEQ_NEEDS = 2;
export const TYPE_SLICE_BEGIN = 1;
export const TYPE_SLICE_END = 2;
export const TYPE_INSTANT = 3;
export const TYPE_COUNTER = 4;
/** Profiling.CpuMode.MODE_KERNEL */
export const MODE_KERNEL = 1;
