import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { statusError } from "./callControl.js";
import { HFTLAB_SERVICE } from "./serviceDefinition.js";

type ServingStatus = "SERVING" | "NOT_SERVING";
interface HealthRequest {
  service?: string;
}

/**
 * grpc.health.v1 for the whole server ("") and for hftlab.v1.Hftlab: SERVING
 * until a drain starts, NOT_SERVING after, so a load balancer stops sending
 * calls while the calls in flight finish. Watch streams end with the drain.
 */
export class HealthService {
  private serving: ServingStatus = "SERVING";
  private readonly watchers = new Set<ServerWritableStream<HealthRequest, unknown>>();

  handlers() {
    return {
      Check: (call: ServerUnaryCall<HealthRequest, unknown>, callback: sendUnaryData<unknown>) => {
        if (!this.knows(call.request.service)) {
          return callback(statusError(status.NOT_FOUND, `unknown service ${call.request.service}`));
        }
        callback(null, { status: this.serving });
      },
      Watch: (call: ServerWritableStream<HealthRequest, unknown>) => {
        const known = this.knows(call.request.service);
        call.write({ status: known ? this.serving : "SERVICE_UNKNOWN" });
        if (this.serving === "NOT_SERVING") return call.end();
        this.watchers.add(call);
        call.on("cancelled", () => this.watchers.delete(call));
      },
    };
  }

  /** The drain has begun: every watcher hears NOT_SERVING, and its stream ends. */
  drain(): void {
    this.serving = "NOT_SERVING";
    for (const call of this.watchers) {
      call.write({ status: this.serving });
      call.end();
    }
    this.watchers.clear();
  }

  private knows(service: string | undefined): boolean {
    return service === undefined || service === "" || service === HFTLAB_SERVICE;
  }
}
