;; The Gram matrix G = Y·Yᵀ of the rows of Y, the hot loop of every covariance,
;; regression cross-product and robust-PCA certificate in hftlab, in WebAssembly
;; 128-bit SIMD: each f64x2 holds two consecutive periods t, t+1.
;;
;; Layout (set up by src/numerics/gramKernel.ts):
;;   y    np rows of `stride` doubles, row i = series i over time; np is a
;;        multiple of 4 and stride is even, both zero-padded;
;;   out  np×np doubles, row-major; only the lower triangle (j ≤ i) is
;;        authoritative: blocks on the diagonal also write a few entries above it.
;;
;; Method: register blocking, 2 rows (i, i+1) × 4 rows (j … j+3) per pass over
;; time, eight f64x2 accumulators; each loaded pair feeds 2 or 4 multiply-adds.
;; On the bench machine 2×4 beat 4×4 (which spills registers), 4×2, 3×3 and
;; 2×2, and tiling the time axis gained nothing: the loop is bound by
;; arithmetic, not memory. Plain mul + add, no fused multiply-add, so the
;; result is the same on every machine: G_ij = Σ_{t even} y_it·y_jt +
;; Σ_{t odd} y_it·y_jt, each sum accumulated in increasing t.
;;
;; `gram` computes block rows i0, i0+2, …, < i1, so the caller can call it in
;; slices: V8 compiles WebAssembly with a fast baseline compiler first and
;; swaps in optimised code only between calls, and the slices are shared out
;; between the main thread and a helper thread working on the same (shared)
;; memory, up to 2 GiB.
(module
  (import "env" "memory" (memory 1 32768 shared))
  (func (export "gram")
    (param $y i32) (param $np i32) (param $stride i32) (param $out i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $j i32) (local $t i32) (local $rowBytes i32) (local $cell i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $x0 v128) (local $x1 v128) (local $z v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $i (local.get $i0))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $a0 (i32.add (local.get $y) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $a1 (i32.add (local.get $a0) (local.get $rowBytes)))
      (local.set $j (i32.const 0))
      (block $blocksDone (loop $blocks
        ;; blocks of 4 columns up to and including column i+1
        (br_if $blocksDone (i32.gt_u (local.get $j) (i32.add (local.get $i) (i32.const 1))))
        (local.set $b0 (i32.add (local.get $y) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $b1 (i32.add (local.get $b0) (local.get $rowBytes)))
        (local.set $b2 (i32.add (local.get $b1) (local.get $rowBytes)))
        (local.set $b3 (i32.add (local.get $b2) (local.get $rowBytes)))
        (local.set $s00 (v128.const f64x2 0 0)) (local.set $s01 (v128.const f64x2 0 0))
        (local.set $s02 (v128.const f64x2 0 0)) (local.set $s03 (v128.const f64x2 0 0))
        (local.set $s10 (v128.const f64x2 0 0)) (local.set $s11 (v128.const f64x2 0 0))
        (local.set $s12 (v128.const f64x2 0 0)) (local.set $s13 (v128.const f64x2 0 0))
        (local.set $t (i32.const 0))
        (block $timeDone (loop $time
          (br_if $timeDone (i32.ge_u (local.get $t) (local.get $rowBytes)))
          (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $t))))
          (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $t))))
          (local.set $z (v128.load (i32.add (local.get $b0) (local.get $t))))
          (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $z))))
          (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $z))))
          (local.set $z (v128.load (i32.add (local.get $b1) (local.get $t))))
          (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $z))))
          (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $z))))
          (local.set $z (v128.load (i32.add (local.get $b2) (local.get $t))))
          (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $x0) (local.get $z))))
          (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $x1) (local.get $z))))
          (local.set $z (v128.load (i32.add (local.get $b3) (local.get $t))))
          (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $x0) (local.get $z))))
          (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $x1) (local.get $z))))
          (local.set $t (i32.add (local.get $t) (i32.const 16)))
          (br $time)))
        ;; out[i][j..j+3] and out[i+1][j..j+3]: the two lanes added
        (local.set $cell (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $np)) (local.get $j)) (i32.const 3))))
        (f64.store offset=0 (local.get $cell) (call $lanes (local.get $s00)))
        (f64.store offset=8 (local.get $cell) (call $lanes (local.get $s01)))
        (f64.store offset=16 (local.get $cell) (call $lanes (local.get $s02)))
        (f64.store offset=24 (local.get $cell) (call $lanes (local.get $s03)))
        (local.set $cell (i32.add (local.get $cell) (i32.shl (local.get $np) (i32.const 3))))
        (f64.store offset=0 (local.get $cell) (call $lanes (local.get $s10)))
        (f64.store offset=8 (local.get $cell) (call $lanes (local.get $s11)))
        (f64.store offset=16 (local.get $cell) (call $lanes (local.get $s12)))
        (f64.store offset=24 (local.get $cell) (call $lanes (local.get $s13)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $blocks)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $rows))))
;; centre(row, len, shift) → Σ: y_t ← y_t − shift for t < len, in place, and
  ;; the sum of the new values accumulated in increasing t (one running sum),
  ;; the same arithmetic as the JavaScript loop it replaces.
  (func (export "centre") (param $row i32) (param $len i32) (param $shift f64) (result f64)
    (local $end i32) (local $v f64) (local $sum f64)
    (local.set $end (i32.add (local.get $row) (i32.shl (local.get $len) (i32.const 3))))
    (block $done (loop $values
      (br_if $done (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $v (f64.sub (f64.load (local.get $row)) (local.get $shift)))
      (f64.store (local.get $row) (local.get $v))
      (local.set $sum (f64.add (local.get $sum) (local.get $v)))
      (local.set $row (i32.add (local.get $row) (i32.const 8)))
      (br $values)))
    (local.get $sum))
  (func $lanes (param $s v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s)))))
