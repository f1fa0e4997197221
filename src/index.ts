/**
 * tracebridge as a library: `convert()` runs the whole pipeline; the registries and adapters can
 * be used directly on arrays of lines (`adapter.createParser(ctx).push(lines, 1)`).
 */
export { convert, ConvertError } from './pipeline/convert.js';
export type { ConvertOptions, ConvertResult, InputSource } from './pipeline/convert.js';
export { inputs, inputByName, detect, registerInput, inputOptionSpecs, diagnosticCodes as CODES } from './inputs/registry.js';
export { outputs, outputByName, outputForPath } from './outputs/registry.js';
export type { InputAdapter, InputParser, ParseContext, InputOptions, InputOptionSpec, SniffAnswer, SniffVerdict } from './inputs/types.js';
export type { OutputAdapter, OutputWriter, OutputOptions, FoldedWeight } from './outputs/types.js';
export type * from './model/events.js';
export type { CodeTable, Diagnostic, DiagnosticCode, Severity } from './model/diagnostics.js';
export { DiagnosticCollector, defineCodes, formatDiagnostic } from './model/diagnostics.js';
export { SliceBuilder } from './model/slices.js';
export { functionGraph } from './inputs/function-graph/index.js';
export { dmesg } from './inputs/dmesg/index.js';
export { lttngText } from './inputs/lttng-text/index.js';
export { ftraceEvents } from './inputs/ftrace-events/index.js';
export { TaskTable } from './model/tasks.js';
export { StackBuilder } from './model/stacks.js';
export { chromeJson } from './outputs/chrome-json.js';
export { perfetto } from './outputs/perfetto/index.js';
export { folded } from './outputs/folded.js';
export { csv } from './outputs/csv.js';
export { top } from './outputs/top.js';
export { VERSION } from './version.js';
export { runBatch, mergeManifests, readManifest, BatchUsageError } from './pipeline/batch/index.js';
export type { BatchOptions, BatchResult, Manifest, ManifestEntry, Summary, Shard } from './pipeline/batch/index.js';
// Flame graphs, filters, diff and serving to the Perfetto UI.
export { svg, html } from './outputs/flamegraph/index.js';
export type { FlameOptions } from './outputs/types.js';
export { EventFilter, FilterError, describeFilters } from './model/filter.js';
export type { FilterSpec } from './model/filter.js';
export { parseFolded, diffProfiles, diffFoldedText, diffSvg } from './outputs/flamegraph/diff.js';
export { serveTrace, uiLink, PERFETTO_UI, PERFETTO_PORT } from './pipeline/serve.js';
export { activePath, ActivePathError, renderActivePath, pathFormatFor, pathCsv, pathTop, pathTrackEvents, buildHistories, walkPath, PATH_FORMATS } from './analyses/active-path/index.js';
export type { ActivePath, ActivePathOptions, Segment, PathState, PathFormat, Uncertainty, WakeCause } from './analyses/active-path/index.js';
export { readEvents } from './pipeline/read-events.js';
export type { ReadEventsOptions, ReadEventsResult } from './pipeline/read-events.js';
