import { helps, suite } from "./examples.js";

suite("--help examples", helps);
