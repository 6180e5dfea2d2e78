import { Chalk, type ChalkInstance } from "chalk";

/** A chalk instance with colour on or off (the choice is colorChoice.ts's). */
export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
