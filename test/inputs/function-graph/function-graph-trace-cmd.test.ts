/** trace-cmd report line forms the samples do not all show, token by token. */
import { describe, expect, it } from 'vitest';
import { tokenize, type TokenizeState } from '../../../src/inputs/function-graph/index.js';

const st = (): TokenizeState => ({ lastCpu: -1, sawCpu: false });

describe('trace-cmd report lines', () => {
  it('-N exit with the retval the kernel prints under CONFIG_FUNCTION_GRAPH_RETVAL', () => {
    const t = tokenize(
      '  bash-1507  [001]   376.036934: funcgraph_exit:       <-- vfs_read (2) (start: 578d8c3966  end: 578d8c40fd) over: 2 retval: fffffffffffffff2',
      7,
      st(),
    );
    expect(t).toMatchObject({ kind: 'exit', tail: 'vfs_read', dur: 0x578d8c40fd - 0x578d8c3966, pid: 1507, cpu: 1, args: { ret: '0xfffffffffffffff2' } });
  });

  it('-R exit: the duration is rettime - calltime', () => {
    const t = tokenize('  bash-1507  [001]   376.036934: funcgraph_exit:        func=vfs_read depth=2 overrun=0 calltime=100 rettime=1a0 retval=0', 1, st());
    expect(t).toMatchObject({ kind: 'exit', tail: 'vfs_read', dur: 0xa0, args: { ret: '0' } });
  });

  it('-O fgraph:depth=1 with tailprint: the (depth) after the tail comment', () => {
    const t = tokenize('  bash-1507  [001]   376.036934: funcgraph_exit:       + 39.839 us  |    } /* vfs_read */ (2)', 1, st());
    expect(t).toMatchObject({ kind: 'exit', tail: 'vfs_read', dur: 39839 });
  });

  it('-l -R: latency flags printed raw (`-0x1`)', () => {
    const t = tokenize('kt-workl-1824      0-0x1   376.021152: funcgraph_entry:       func=mutex_unlock depth=0 args=ARRAY[]', 1, st());
    expect(t).toMatchObject({ kind: 'entry', text: 'mutex_unlock', cpu: 0, pid: 1824 });
  });

  it('several input files: the file prefix is kept, the comm is not touched', () => {
    const t = tokenize('    fg-a.dat:      kworker/u8:2-1824  [000]   376.021152: funcgraph_entry:        1.000 us   |  f();', 1, st());
    expect(t).toMatchObject({ kind: 'leaf', text: 'f', comm: 'kworker/u8:2', file: 'fg-a.dat' });
  });
});
