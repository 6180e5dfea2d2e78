/**
 * A spinner on stderr for long work, shown only when stderr is a TTY with a
 * non-zero width and the run is not --quiet or machine-readable (ora 9 spins
 * forever on a width-0 terminal). ora is loaded only when a spinner is shown.
 */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

export function progressWanted(quiet: boolean, machineOutput: boolean): boolean {
  const err = process.stderr;
  return !quiet && !machineOutput && err.isTTY === true && (err.columns ?? 0) > 0;
}

export async function startProgress(text: string, wanted: boolean): Promise<Progress> {
  if (!wanted) return silent;
  const { default: ora } = await import("ora");
  const spinner = ora({ text, stream: process.stderr, discardStdin: false }).start();
  return {
    update(next: string) {
      spinner.text = next;
    },
    stop() {
      spinner.stop();
    },
  };
}
