;; Level-1 products on rows held in WebAssembly memory, for the working-set
;; elastic net (src/numerics/residentDesign.ts): the predictors stay in the
;; kernel's memory for the whole fit, and every pass over them (gradients
;; Xᵀr, the residual r = y − Xb) runs here in 128-bit SIMD, each f64x2
;; holding two consecutive periods t, t+1.
;;
;; Rows start 16-byte aligned and hold an even number of doubles, the last
;; one a zero pad when the row length is odd: `dot` and `axpy` run over the
;; padded length (the zeros change nothing), `sum` and `shiftSum` over the
;; row's own length, leaving the pad at zero.
;; Plain mul + add, no fused multiply-add, so results are the same on every
;; machine.
(module
  (import "env" "memory" (memory 1 32768 shared))
  ;; dot(a, b, len) → Σ_t a_t·b_t, len even (padded): four partial sums (t mod 4),
  ;; each in increasing t, added as (s0 + s2) + (s1 + s3).
  (func (export "dot") (param $a i32) (param $b i32) (param $len i32) (result f64)
    (local $end i32) (local $s v128) (local $u v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $len) (i32.const 3))))
    ;; pairs of f64x2 while four values remain
    (block $done (loop $values
      (br_if $done (i32.gt_u (i32.add (local.get $a) (i32.const 32)) (local.get $end)))
      (local.set $s (f64x2.add (local.get $s)
        (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
      (local.set $u (f64x2.add (local.get $u)
        (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (br $values)))
    ;; the last two values when len ≡ 2 (mod 4)
    (if (i32.lt_u (local.get $a) (local.get $end))
      (then (local.set $s (f64x2.add (local.get $s)
        (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))))
    (local.set $s (f64x2.add (local.get $s) (local.get $u)))
    (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
  ;; axpy(alpha, x, y, len): y_t ← y_t + alpha·x_t, len even (padded).
  (func (export "axpy") (param $alpha f64) (param $x i32) (param $y i32) (param $len i32)
    (local $end i32) (local $a v128)
    (local.set $a (f64x2.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $len) (i32.const 3))))
    (block $done (loop $values
      (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
      (v128.store (local.get $y) (f64x2.add (v128.load (local.get $y))
        (f64x2.mul (local.get $a) (v128.load (local.get $x)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $values))))
  ;; sum(row, len) → Σ_t y_t: two partial sums (even, odd t), each in
  ;; increasing t, then the last value when len is odd.
  (func (export "sum") (param $row i32) (param $len i32) (result f64)
    (local $end i32) (local $s v128) (local $total f64)
    (local.set $end (i32.add (local.get $row) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
    (block $done (loop $values
      (br_if $done (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $s (f64x2.add (local.get $s) (v128.load (local.get $row))))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (br $values)))
    (local.set $total (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then (local.set $total (f64.add (local.get $total) (f64.load (local.get $row))))))
    (local.get $total))
  ;; shiftSum(row, len, by) → Σ_t (y_t − by): y_t ← y_t − by for t < len, and
  ;; the new values summed as `sum` sums them; the padding is left alone.
  (func (export "shiftSum") (param $row i32) (param $len i32) (param $by f64) (result f64)
    (local $end i32) (local $c v128) (local $v v128) (local $s v128) (local $last f64) (local $total f64)
    (local.set $c (f64x2.splat (local.get $by)))
    (local.set $end (i32.add (local.get $row) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
    (block $done (loop $values
      (br_if $done (i32.ge_u (local.get $row) (local.get $end)))
      (local.set $v (f64x2.sub (v128.load (local.get $row)) (local.get $c)))
      (v128.store (local.get $row) (local.get $v))
      (local.set $s (f64x2.add (local.get $s) (local.get $v)))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (br $values)))
    (local.set $total (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (local.set $last (f64.sub (f64.load (local.get $row)) (local.get $by)))
        (f64.store (local.get $row) (local.get $last))
        (local.set $total (f64.add (local.get $total) (local.get $last)))))
    (local.get $total)))
