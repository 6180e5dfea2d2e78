import { examplesAreFound, readme, suite } from "./examples.js";

examplesAreFound();
suite("README.md examples", readme);
