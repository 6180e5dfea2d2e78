;; One column of the dot-product (Cholesky–Banachiewicz) factorisation A = L·Lᵀ
;; in WebAssembly 128-bit SIMD, for the large covariance matrices of optimize
;; (src/numerics/choleskyKernel.ts drives it column by column and keeps the
;; scalar `choleskyInPlace` for small matrices).
;;
;; `column(a, n, stride, j, floor)` on the row-major matrix at byte address a
;; (entry (i, k) at a + 8·(i·stride + k)), columns 0 … j−1 already factored:
;;   pivot = A_jj − Σ_{k<j} L_jk²; if not pivot > floor·A_jj, returns 0 (column j
;;   depends on the ones before it) and writes nothing; else L_jj = √pivot and
;;   L_ij = (A_ij − Σ_{k<j} L_ik·L_jk)/L_jj for i = j+1 … n−1; returns 1.
;; The sums are `dot`: four running partial sums (k mod 4 in two f64x2), added
;; pairwise at the end, then the k mod 4 tail. Four independent chains instead
;; of one is what makes it fast: a single running sum waits on the latency of
;; every addition.
(module
  (memory (export "memory") 1)
  (func $dot (param $p i32) (param $q i32) (param $len i32) (result f64)
    (local $s0 v128) (local $s1 v128) (local $end i32) (local $bulk i32) (local $sum f64)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $bulk (i32.add (local.get $p) (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3))))
    (local.set $s0 (v128.const f64x2 0 0))
    (local.set $s1 (v128.const f64x2 0 0))
    (block $bulkDone (loop $bulkLoop
      (br_if $bulkDone (i32.ge_u (local.get $p) (local.get $bulk)))
      (local.set $s0 (f64x2.add (local.get $s0)
        (f64x2.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
      (local.set $s1 (f64x2.add (local.get $s1)
        (f64x2.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (local.set $q (i32.add (local.get $q) (i32.const 32)))
      (br $bulkLoop)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $tailDone (loop $tailLoop
      (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $sum (f64.add (local.get $sum) (f64.mul (f64.load (local.get $p)) (f64.load (local.get $q)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (br $tailLoop)))
    (local.get $sum))
  (func (export "column")
    (param $a i32) (param $n i32) (param $stride i32) (param $j i32) (param $floor f64) (result i32)
    (local $rowBytes i32) (local $rowJ i32) (local $rowI i32) (local $i i32)
    (local $diagonal f64) (local $pivot f64) (local $ljj f64)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $rowJ (i32.add (local.get $a) (i32.mul (local.get $j) (local.get $rowBytes))))
    (local.set $diagonal (f64.load (i32.add (local.get $rowJ) (i32.shl (local.get $j) (i32.const 3)))))
    (local.set $pivot (f64.sub (local.get $diagonal) (call $dot (local.get $rowJ) (local.get $rowJ) (local.get $j))))
    (if (i32.eqz (f64.gt (local.get $pivot) (f64.mul (local.get $floor) (local.get $diagonal))))
      (then (return (i32.const 0))))
    (local.set $ljj (f64.sqrt (local.get $pivot)))
    (f64.store (i32.add (local.get $rowJ) (i32.shl (local.get $j) (i32.const 3))) (local.get $ljj))
    (local.set $i (i32.add (local.get $j) (i32.const 1)))
    (local.set $rowI (i32.add (local.get $rowJ) (local.get $rowBytes)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
      (f64.store (i32.add (local.get $rowI) (i32.shl (local.get $j) (i32.const 3)))
        (f64.div
          (f64.sub (f64.load (i32.add (local.get $rowI) (i32.shl (local.get $j) (i32.const 3))))
                   (call $dot (local.get $rowI) (local.get $rowJ) (local.get $j)))
          (local.get $ljj)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $rowI (i32.add (local.get $rowI) (local.get $rowBytes)))
      (br $rows)))
    (i32.const 1)))
