;; One coordinate-descent sweep of the elastic net with covariance ("Gram")
;; updates, for src/numerics/coordinateDescent.ts: the same arithmetic as its
;; JavaScript `sweep`, operation for operation (the update of h is an
;; element-wise h_i + δ·Q_ji, done two at a time), so the results are
;; bit-identical; only the speed differs.
;;
;; sweep(gram, xty, b, h, indices, count, p, l1, l2, positive) → max |δb_j|
;;   gram     p×p row-major doubles (Q = XᵀX, symmetric: row j is column j)
;;   xty, b, h  p doubles each (h = Q·b, kept up to date)
;;   indices  i32 coordinates to visit, or -1 to visit 0 … count−1
;;   positive 1 to constrain b ≥ 0
;; For each visited j with Q_jj ≠ 0: z = (xty_j − h_j) + Q_jj·b_j; the new
;; b_j is the soft threshold (z ∓ l1)/(Q_jj + l2) (0 inside [−l1, l1], or
;; below l1 with `positive`); if it changed by δ, h += δ·Q_j.
(module
  (memory (export "memory") 1)
  (func (export "sweep")
    (param $gram i32) (param $xty i32) (param $b i32) (param $h i32) (param $indices i32)
    (param $count i32) (param $p i32) (param $l1 f64) (param $l2 f64) (param $positive i32)
    (result f64)
    (local $k i32) (local $j i32) (local $row i32) (local $bj i32) (local $hj i32)
    (local $q i32) (local $hi i32) (local $pairsEnd i32) (local $rowEnd i32)
    (local $qjj f64) (local $old f64) (local $z f64) (local $next f64) (local $delta f64)
    (local $maxChange f64) (local $deltas v128)
    (block $done (loop $coordinates
      (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
      (local.set $j
        (if (result i32) (i32.lt_s (local.get $indices) (i32.const 0))
          (then (local.get $k))
          (else (i32.load (i32.add (local.get $indices) (i32.shl (local.get $k) (i32.const 2)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $row (i32.add (local.get $gram) (i32.shl (i32.mul (local.get $j) (local.get $p)) (i32.const 3))))
      (local.set $qjj (f64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))))
      (br_if $coordinates (f64.eq (local.get $qjj) (f64.const 0)))
      (local.set $bj (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $hj (i32.add (local.get $h) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $old (f64.load (local.get $bj)))
      (local.set $z (f64.add
        (f64.sub (f64.load (i32.add (local.get $xty) (i32.shl (local.get $j) (i32.const 3)))) (f64.load (local.get $hj)))
        (f64.mul (local.get $qjj) (local.get $old))))
      (local.set $next (f64.const 0))
      (if (f64.gt (local.get $z) (local.get $l1))
        (then (local.set $next (f64.div (f64.sub (local.get $z) (local.get $l1)) (f64.add (local.get $qjj) (local.get $l2)))))
        (else (if (i32.and (i32.eqz (local.get $positive)) (f64.lt (local.get $z) (f64.neg (local.get $l1))))
          (then (local.set $next (f64.div (f64.add (local.get $z) (local.get $l1)) (f64.add (local.get $qjj) (local.get $l2))))))))
      (local.set $delta (f64.sub (local.get $next) (local.get $old)))
      (br_if $coordinates (f64.eq (local.get $delta) (f64.const 0)))
      (f64.store (local.get $bj) (local.get $next))
      ;; h += δ·Q_j, two entries at a time, then the odd one
      (local.set $deltas (f64x2.splat (local.get $delta)))
      (local.set $q (local.get $row))
      (local.set $hi (local.get $h))
      (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $p) (i32.const 3))))
      (local.set $pairsEnd (i32.add (local.get $row) (i32.shl (i32.and (local.get $p) (i32.const -2)) (i32.const 3))))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $q) (local.get $pairsEnd)))
        (v128.store (local.get $hi)
          (f64x2.add (v128.load (local.get $hi)) (f64x2.mul (local.get $deltas) (v128.load (local.get $q)))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $hi (i32.add (local.get $hi) (i32.const 16)))
        (br $pairs)))
      (if (i32.lt_u (local.get $q) (local.get $rowEnd))
        (then (f64.store (local.get $hi)
          (f64.add (f64.load (local.get $hi)) (f64.mul (local.get $delta) (f64.load (local.get $q)))))))
      (if (f64.gt (f64.abs (local.get $delta)) (local.get $maxChange))
        (then (local.set $maxChange (f64.abs (local.get $delta)))))
      (br $coordinates)))
    (local.get $maxChange)))
