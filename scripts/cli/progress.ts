// Progress of long steps (embedding photos, epochs) on stderr. A live bar when stderr is a
// terminal; otherwise one summary line when the step ends, so logs and pipes stay readable.

import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets the number of finished items; `detail` is a short status such as "loss 0.31". */
  update(done: number, detail?: string): void;
  /** Ends the step and leaves the final state on screen. */
  stop(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function startProgress(label: string, total: number, stream: ProgressStream): Progress {
  if (stream.isTTY) return startBar(label, total, stream);

  let done = 0;
  let lastDetail = '';
  return {
    update(value, detail) {
      done = value;
      if (detail !== undefined) lastDetail = detail;
    },
    stop() {
      stream.write(`${label}: ${done}/${total}${lastDetail ? ` ${lastDetail}` : ''}\n`);
    },
  };
}

function startBar(label: string, total: number, stream: ProgressStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {detail}`,
      stream: stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  return {
    update(value, detail) {
      bar.update(value, detail === undefined ? {} : { detail });
    },
    stop() {
      bar.stop();
    },
  };
}
