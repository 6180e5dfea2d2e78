/**
 * The No-U-Turn Sampler with multinomial trajectory sampling and a diagonal
 * metric, one transition at a time, as Stan's `base_nuts` implements it.
 *
 * Method: from the current position q, draw a momentum p ~ N(0, M) and
 * double a leapfrog trajectory forwards or backwards (a fair coin each
 * time) until the generalised no-U-turn criterion fails across the whole
 * trajectory or either of its halves (ρ·p♯ ≤ 0 at an end, ρ the summed
 * momenta, p♯ = M⁻¹p; with Stan's extra checks across merged subtrees),
 * the tree reaches `maxDepth`, or the energy error exceeds 1000
 * (a divergence). The next state is drawn from the trajectory with
 * probabilities ∝ e^{−H}: uniformly-progressive within subtrees, biased
 * towards the newer subtree at the top level. The acceptance statistic for
 * step-size adaptation is the mean of min(1, e^{H₀−H}) over all leapfrog
 * states.
 *
 * No allocation per leapfrog step: every vector lives in a workspace
 * allocated once per sampler (a few per tree depth).
 *
 * References:
 * - M. D. Hoffman, A. Gelman (2014), "The No-U-Turn Sampler", JMLR 15,
 *   1593–1623.
 * - M. Betancourt (2017), "A conceptual introduction to Hamiltonian Monte
 *   Carlo", arXiv:1701.02434 (multinomial sampling, generalised criterion).
 * - Stan, src/stan/mcmc/hmc/nuts/base_nuts.hpp (v2.26+; the checks across
 *   subtrees) and base_hmc.hpp (`init_stepsize`).
 */
import type { PosteriorModel } from "./posteriorModels.js";
import type { Prng } from "../random/prng.js";

/** Energy error above which a trajectory counts as divergent (Stan's max_deltaH). */
export const MAX_ENERGY_ERROR = 1000;

/** A phase-space point: position, momentum, log density and its gradient. */
class PhasePoint {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly g: Float64Array;
  logDensity = Number.NEGATIVE_INFINITY;
  constructor(d: number) {
    this.q = new Float64Array(d);
    this.p = new Float64Array(d);
    this.g = new Float64Array(d);
  }
  copyFrom(o: PhasePoint): void {
    this.q.set(o.q);
    this.p.set(o.p);
    this.g.set(o.g);
    this.logDensity = o.logDensity;
  }
}

/** The vectors one level of the tree recursion needs. */
interface Level {
  propose: PhasePoint;
  pInitEnd: Float64Array;
  pSharpInitEnd: Float64Array;
  rhoInit: Float64Array;
  pFinalBeg: Float64Array;
  pSharpFinalBeg: Float64Array;
  rhoFinal: Float64Array;
  rhoSubtree: Float64Array;
}

function logSumExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function criterion(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array): boolean {
  return dot(pSharpPlus, rho) > 0 && dot(pSharpMinus, rho) > 0;
}

function sumInto(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
}

export class NutsSampler {
  readonly dimension: number;
  /** Diagonal of M⁻¹ (posterior variances once adapted). */
  readonly inverseMetric: Float64Array;
  stepSize = 1;
  /** Statistics of the last transition. */
  acceptStat = 0;
  treeDepth = 0;
  leapfrogSteps = 0;
  divergent = false;

  /** The chain's state. */
  readonly current: PhasePoint;
  private readonly z: PhasePoint;
  private readonly zForward: PhasePoint;
  private readonly zBackward: PhasePoint;
  private readonly zSample: PhasePoint;
  private readonly zPropose: PhasePoint;
  private readonly levels: Level[];
  private readonly top: Record<
    | "pFwdFwd"
    | "pSharpFwdFwd"
    | "pFwdBck"
    | "pSharpFwdBck"
    | "pBckFwd"
    | "pSharpBckFwd"
    | "pBckBck"
    | "pSharpBckBck"
    | "rho"
    | "rhoFwd"
    | "rhoBck"
    | "rhoExtended",
    Float64Array
  >;
  private h0 = 0;
  private sumMetropolis = 0;
  private subtreeLogWeight = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly model: PosteriorModel,
    private readonly rng: Prng,
    readonly maxDepth = 10,
  ) {
    const d = model.dimension;
    this.dimension = d;
    this.inverseMetric = new Float64Array(d).fill(1);
    const point = () => new PhasePoint(d);
    const vector = () => new Float64Array(d);
    this.current = point();
    this.z = point();
    this.zForward = point();
    this.zBackward = point();
    this.zSample = point();
    this.zPropose = point();
    this.levels = Array.from({ length: maxDepth + 1 }, () => ({
      propose: point(),
      pInitEnd: vector(),
      pSharpInitEnd: vector(),
      rhoInit: vector(),
      pFinalBeg: vector(),
      pSharpFinalBeg: vector(),
      rhoFinal: vector(),
      rhoSubtree: vector(),
    }));
    this.top = {
      pFwdFwd: vector(),
      pSharpFwdFwd: vector(),
      pFwdBck: vector(),
      pSharpFwdBck: vector(),
      pBckFwd: vector(),
      pSharpBckFwd: vector(),
      pBckBck: vector(),
      pSharpBckBck: vector(),
      rho: vector(),
      rhoFwd: vector(),
      rhoBck: vector(),
      rhoExtended: vector(),
    };
  }

  /** Sets the chain's position (and evaluates the density there); false when it is not finite. */
  setPosition(q: Float64Array): boolean {
    this.current.q.set(q);
    this.current.logDensity = this.model.logDensityGradient(this.current.q, this.current.g);
    return Number.isFinite(this.current.logDensity) && this.current.g.every(Number.isFinite);
  }

  private sampleMomentum(point: PhasePoint): void {
    for (let i = 0; i < this.dimension; i++)
      point.p[i] = this.rng.normal() / Math.sqrt(this.inverseMetric[i]!);
  }

  private hamiltonian(point: PhasePoint): number {
    let kinetic = 0;
    for (let i = 0; i < this.dimension; i++) kinetic += this.inverseMetric[i]! * point.p[i]! * point.p[i]!;
    const h = -point.logDensity + 0.5 * kinetic;
    return Number.isNaN(h) ? Number.POSITIVE_INFINITY : h;
  }

  /** One leapfrog step of size `epsilon` (negative: backwards in time). */
  private leapfrog(point: PhasePoint, epsilon: number): void {
    const { q, p, g } = point;
    const half = 0.5 * epsilon;
    for (let i = 0; i < this.dimension; i++) {
      p[i] = p[i]! + half * g[i]!;
      q[i] = q[i]! + epsilon * this.inverseMetric[i]! * p[i]!;
    }
    point.logDensity = this.model.logDensityGradient(q, g);
    for (let i = 0; i < this.dimension; i++) p[i] = p[i]! + half * g[i]!;
  }

  private sharp(p: Float64Array, out: Float64Array): void {
    for (let i = 0; i < this.dimension; i++) out[i] = this.inverseMetric[i]! * p[i]!;
  }

  /**
   * Stan's step-size heuristic: from the current step size, double or halve
   * it until one leapfrog step's acceptance e^{H₀−H} crosses 0.8.
   */
  initStepSize(): void {
    const z = this.z;
    const logTarget = Math.log(0.8);
    const trial = (): number => {
      z.copyFrom(this.current);
      this.sampleMomentum(z);
      const h0 = this.hamiltonian(z);
      this.leapfrog(z, this.stepSize);
      return h0 - this.hamiltonian(z);
    };
    const direction = trial() > logTarget ? 1 : -1;
    for (let i = 0; i < 200; i++) {
      const deltaH = trial();
      if (direction === 1 && !(deltaH > logTarget)) break;
      if (direction === -1 && !(deltaH < logTarget)) break;
      this.stepSize = direction === 1 ? 2 * this.stepSize : 0.5 * this.stepSize;
      if (this.stepSize > 1e7 || this.stepSize === 0) break;
    }
  }

  /** One NUTS transition from `current`; `current` becomes the new state. */
  transition(): void {
    const t = this.top;
    const z = this.z;
    z.copyFrom(this.current);
    this.sampleMomentum(z);
    t.pFwdFwd.set(z.p);
    this.sharp(z.p, t.pSharpFwdFwd);
    t.pFwdBck.set(z.p);
    t.pSharpFwdBck.set(t.pSharpFwdFwd);
    t.pBckFwd.set(z.p);
    t.pSharpBckFwd.set(t.pSharpFwdFwd);
    t.pBckBck.set(z.p);
    t.pSharpBckBck.set(t.pSharpFwdFwd);
    t.rho.set(z.p);
    let logSumWeight = 0;
    this.h0 = this.hamiltonian(z);
    this.leapfrogSteps = 0;
    this.sumMetropolis = 0;
    this.divergent = false;
    this.zForward.copyFrom(z);
    this.zBackward.copyFrom(z);
    this.zSample.copyFrom(z);
    this.zPropose.copyFrom(z);
    let depth = 0;
    while (depth < this.maxDepth) {
      t.rhoFwd.fill(0);
      t.rhoBck.fill(0);
      let valid: boolean;
      if (this.rng.nextFloat() > 0.5) {
        z.copyFrom(this.zForward);
        t.rhoBck.set(t.rho);
        t.pBckFwd.set(t.pFwdBck);
        t.pSharpBckFwd.set(t.pSharpFwdBck);
        valid = this.buildTree(
          depth,
          this.zPropose,
          t.pSharpFwdBck,
          t.pSharpFwdFwd,
          t.rhoFwd,
          t.pFwdBck,
          t.pFwdFwd,
          1,
        );
        this.zForward.copyFrom(z);
      } else {
        z.copyFrom(this.zBackward);
        t.rhoFwd.set(t.rho);
        t.pFwdBck.set(t.pBckFwd);
        t.pSharpFwdBck.set(t.pSharpBckFwd);
        valid = this.buildTree(
          depth,
          this.zPropose,
          t.pSharpBckFwd,
          t.pSharpBckBck,
          t.rhoBck,
          t.pBckFwd,
          t.pBckBck,
          -1,
        );
        this.zBackward.copyFrom(z);
      }
      if (!valid) break;
      depth++;
      const subtreeWeight = this.subtreeLogWeight;
      if (subtreeWeight > logSumWeight) {
        this.zSample.copyFrom(this.zPropose);
      } else if (this.rng.nextFloat() < Math.exp(subtreeWeight - logSumWeight)) {
        this.zSample.copyFrom(this.zPropose);
      }
      logSumWeight = logSumExp(logSumWeight, subtreeWeight);
      sumInto(t.rho, t.rhoBck, t.rhoFwd);
      let persist = criterion(t.pSharpBckBck, t.pSharpFwdFwd, t.rho);
      sumInto(t.rhoExtended, t.rhoBck, t.pFwdBck);
      persist = persist && criterion(t.pSharpBckBck, t.pSharpFwdBck, t.rhoExtended);
      sumInto(t.rhoExtended, t.rhoFwd, t.pBckFwd);
      persist = persist && criterion(t.pSharpBckFwd, t.pSharpFwdFwd, t.rhoExtended);
      if (!persist) break;
    }
    this.treeDepth = depth;
    this.acceptStat = this.leapfrogSteps > 0 ? this.sumMetropolis / this.leapfrogSteps : 0;
    this.current.copyFrom(this.zSample);
  }

  /**
   * Builds a subtree of 2^depth leapfrog steps from `this.z` in direction
   * `sign`, writing its sample into `propose`, its end momenta and their
   * sharps, and adding its summed momentum to `rho`. Leaves the subtree's
   * log weight in `subtreeLogWeight`; returns false when it diverged or
   * U-turned.
   */
  private buildTree(
    depth: number,
    propose: PhasePoint,
    pSharpBeg: Float64Array,
    pSharpEnd: Float64Array,
    rho: Float64Array,
    pBeg: Float64Array,
    pEnd: Float64Array,
    sign: 1 | -1,
  ): boolean {
    const z = this.z;
    if (depth === 0) {
      this.leapfrog(z, sign * this.stepSize);
      this.leapfrogSteps++;
      const h = this.hamiltonian(z);
      if (h - this.h0 > MAX_ENERGY_ERROR) this.divergent = true;
      this.subtreeLogWeight = this.h0 - h;
      this.sumMetropolis += this.h0 - h > 0 ? 1 : Math.exp(this.h0 - h);
      propose.copyFrom(z);
      this.sharp(z.p, pSharpBeg);
      pSharpEnd.set(pSharpBeg);
      for (let i = 0; i < this.dimension; i++) rho[i] = rho[i]! + z.p[i]!;
      pBeg.set(z.p);
      pEnd.set(pBeg);
      return !this.divergent;
    }
    const level = this.levels[depth]!;
    level.pInitEnd.fill(0);
    level.pSharpInitEnd.fill(0);
    level.rhoInit.fill(0);
    if (
      !this.buildTree(
        depth - 1,
        propose,
        pSharpBeg,
        level.pSharpInitEnd,
        level.rhoInit,
        pBeg,
        level.pInitEnd,
        sign,
      )
    ) {
      return false;
    }
    const logWeightInit = this.subtreeLogWeight;
    const proposeFinal = level.propose;
    proposeFinal.copyFrom(z);
    level.pFinalBeg.fill(0);
    level.pSharpFinalBeg.fill(0);
    level.rhoFinal.fill(0);
    if (
      !this.buildTree(
        depth - 1,
        proposeFinal,
        level.pSharpFinalBeg,
        pSharpEnd,
        level.rhoFinal,
        level.pFinalBeg,
        pEnd,
        sign,
      )
    ) {
      return false;
    }
    const logWeightFinal = this.subtreeLogWeight;
    const logWeightSubtree = logSumExp(logWeightInit, logWeightFinal);
    this.subtreeLogWeight = logWeightSubtree;
    if (logWeightFinal > logWeightSubtree) {
      propose.copyFrom(proposeFinal);
    } else if (this.rng.nextFloat() < Math.exp(logWeightFinal - logWeightSubtree)) {
      propose.copyFrom(proposeFinal);
    }
    const rhoSubtree = level.rhoSubtree;
    sumInto(rhoSubtree, level.rhoInit, level.rhoFinal);
    for (let i = 0; i < this.dimension; i++) rho[i] = rho[i]! + rhoSubtree[i]!;
    // the whole subtree, and each half extended by the first momentum of the other
    let persist = criterion(pSharpBeg, pSharpEnd, rhoSubtree);
    const rhoExtended = this.top.rhoExtended;
    sumInto(rhoExtended, level.rhoInit, level.pFinalBeg);
    persist = persist && criterion(pSharpBeg, level.pSharpFinalBeg, rhoExtended);
    sumInto(rhoExtended, level.rhoFinal, level.pInitEnd);
    persist = persist && criterion(level.pSharpInitEnd, pSharpEnd, rhoExtended);
    return persist;
  }
}
