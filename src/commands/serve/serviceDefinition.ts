import { fileURLToPath } from "node:url";
import type { GrpcObject, ServiceClientConstructor } from "@grpc/grpc-js";
import { loadPackageDefinition } from "@grpc/grpc-js";
import { type PackageDefinition, loadSync } from "@grpc/proto-loader";

/** The protos shipped in the package (package.json "files"): hftlab.v1 and grpc.health.v1. */
export const PROTO_DIR = fileURLToPath(new URL("../../../proto/", import.meta.url));
export const HFTLAB_PROTO = "hftlab/v1/hftlab.proto";
export const HEALTH_PROTO = "grpc/health/v1/health.proto";
export const HFTLAB_SERVICE = "hftlab.v1.Hftlab";

/**
 * How messages become JavaScript: field names in camelCase (`hurst_method`
 * is `hurstMethod`, as the CLI's options and JSON keys are spelled), int64
 * as numbers, unset fields left out (an unset option is the CLI default),
 * and the set member of a oneof named (`input: "data"`).
 */
export const LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: false,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

export interface Services {
  definition: PackageDefinition;
  hftlab: ServiceClientConstructor;
  health: ServiceClientConstructor;
}

export function loadServices(): Services {
  const definition = loadSync([HFTLAB_PROTO, HEALTH_PROTO], LOADER_OPTIONS);
  const root = loadPackageDefinition(definition);
  return {
    definition,
    hftlab: serviceAt(root, ["hftlab", "v1", "Hftlab"]),
    health: serviceAt(root, ["grpc", "health", "v1", "Health"]),
  };
}

function serviceAt(root: GrpcObject, names: string[]): ServiceClientConstructor {
  let node: GrpcObject | ServiceClientConstructor = root;
  for (const name of names) node = (node as GrpcObject)[name] as GrpcObject | ServiceClientConstructor;
  return node as ServiceClientConstructor;
}
