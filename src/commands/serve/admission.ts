/**
 * `--max-concurrency`: how many calls may be in progress at once (running
 * or waiting for a worker, streams included). A call past it is refused at
 * once with RESOURCE_EXHAUSTED rather than queued, so memory stays bounded
 * whatever the load.
 */
export class Admission {
  private inProgress = 0;
  constructor(readonly limit: number) {}

  tryEnter(): boolean {
    if (this.inProgress >= this.limit) return false;
    this.inProgress++;
    return true;
  }

  leave(): void {
    this.inProgress--;
  }

  get calls(): number {
    return this.inProgress;
  }
}
