;; The lagged-product sums of the ADF regression (src/numerics/timeseries/adfMoments.ts
;; `laggedProductSums`), one block of four lags over a chunk of rows, in WebAssembly
;; 128-bit SIMD.
;;
;; `chunk(d, k0, from, to, out)`: with d the byte address of the differences d_0 … d_{M−1},
;; for u = from, from+4, … < to (to − from a multiple of 4) accumulates
;;   a_r += d_u·x_r + d_{u+1}·x_{r+1} + d_{u+2}·x_{r+2} + d_{u+3}·x_{r+3},   x_i = d_{u+k0+i},
;; for r = 0 … 3 and writes a_0 … a_3 (from 0) at byte address out.
;;
;; Method: one f64x2 holds (a_0, a_1), another (a_2, a_3); each of d_u … d_{u+3} is splat
;; into both lanes and multiplies the pair (x_i, x_{i+1}) loaded as one (unaligned) v128.
;; Plain mul + add, no fused multiply-add, and each lane adds its four products in the
;; scalar loop's order, ((p0 + p1) + p2) + p3, before adding them to its sum: every lane's
;; result is the scalar loop's, bit for bit, on every machine, with half the instructions.
(module
  (memory (export "memory") 1)
  (func (export "chunk")
    (param $d i32) (param $k0 i32) (param $from i32) (param $to i32) (param $out i32)
    (local $p i32) (local $end i32) (local $x i32)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $x34 v128) (local $x23 v128)
    (local $lo v128) (local $hi v128) (local $t v128)
    (local.set $p (i32.add (local.get $d) (i32.shl (local.get $from) (i32.const 3))))
    (local.set $end (i32.add (local.get $d) (i32.shl (local.get $to) (i32.const 3))))
    (local.set $x (i32.add (local.get $p) (i32.shl (local.get $k0) (i32.const 3))))
    (local.set $lo (v128.const f64x2 0 0))
    (local.set $hi (v128.const f64x2 0 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $d0 (f64x2.splat (f64.load (local.get $p))))
      (local.set $d1 (f64x2.splat (f64.load offset=8 (local.get $p))))
      (local.set $d2 (f64x2.splat (f64.load offset=16 (local.get $p))))
      (local.set $d3 (f64x2.splat (f64.load offset=24 (local.get $p))))
      (local.set $x23 (v128.load offset=16 (local.get $x)))
      (local.set $x34 (v128.load offset=24 (local.get $x)))
      ;; (a0, a1): d0·(x0, x1) + d1·(x1, x2) + d2·(x2, x3) + d3·(x3, x4)
      (local.set $t (f64x2.mul (local.get $d0) (v128.load (local.get $x))))
      (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d1) (v128.load offset=8 (local.get $x)))))
      (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d2) (local.get $x23))))
      (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d3) (local.get $x34))))
      (local.set $lo (f64x2.add (local.get $lo) (local.get $t)))
      ;; (a2, a3): d0·(x2, x3) + d1·(x3, x4) + d2·(x4, x5) + d3·(x5, x6)
      (local.set $t (f64x2.mul (local.get $d0) (local.get $x23)))
      (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d1) (local.get $x34))))
      (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d2) (v128.load offset=32 (local.get $x)))))
      (local.set $t (f64x2.add (local.get $t) (f64x2.mul (local.get $d3) (v128.load offset=40 (local.get $x)))))
      (local.set $hi (f64x2.add (local.get $hi) (local.get $t)))
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (local.set $x (i32.add (local.get $x) (i32.const 32)))
      (br $rows)))
    (v128.store (local.get $out) (local.get $lo))
    (v128.store offset=16 (local.get $out) (local.get $hi))))
