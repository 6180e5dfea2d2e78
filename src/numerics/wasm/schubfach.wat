;; The digits of the shortest decimal that reads back as a double (Schubfach,
;; Giulietti 2020), for src/output/shortestDecimal.ts, which lays them out as
;; String(x) does. Here because the method is 64×128-bit integer arithmetic:
;; WebAssembly has 64-bit integers, JavaScript only doubles (its version
;; needed double-double products and a limb-based fallback, and was half of
;; `stream`'s time).
;;
;; Memory (one page, never grown):
;;   0    i32 high, i32 low: the result's digits, digits = high·10^8 + low
;;   16   617 entries of g (lo u64, hi u64): for e = index − 292,
;;        g = ⌈10^e·2^(127 − ⌊log2 10^e⌋)⌉, 2^127 ≤ g < 2^128. Filled by the
;;        caller on demand: an entry whose hi is 0 is missing.
;;
;; digits(x) for finite x > 0 returns k with x ≈ digits·10^k (digits may end
;; in zeros), or MISSING + index when the table lacks entry `index`.
;;
;; Method, as A. Bolz's C++ rendering (schubfach_64.cc): with x = c·2^q and
;; the rounding interval of x (its lower half as narrow again just above a
;; power of two), k = ⌊log10 2^q⌋ (⌊log10 ¾·2^q⌋ there) and h chosen so that
;; the three points 4·c·2^h·g/2^128 (x and both interval ends, times 4 to
;; keep two fraction bits) are computed rounded to odd; the paper proves the
;; comparisons below are then exact. Pick a multiple of 10 in the interval
;; if there is exactly one candidate of that length, else the integer closest
;; to x·10^−k (ties to even).
(module
  (memory (export "memory") 1)
  (global $missing i32 (i32.const 100000))
  ;; where `format` writes its text
  (global $text i32 (i32.const 10240))
  (data (i32.const 10000) "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899")

  ;; The digits of 1 ≤ v < 2^32, no leading zeros, ending just before `end`;
  ;; two at a time from the table of pairs "00".."99" at 10000. All i32:
  ;; V8 turns a 32-bit division by a constant into a multiplication, not a
  ;; 64-bit one (a real division there is ~40 cycles a digit pair).
  (func $writeDigits (param $v i32) (param $end i32)
    (local $q i32)
    (block $done (loop $pairs
      (br_if $done (i32.lt_u (local.get $v) (i32.const 100)))
      (local.set $q (i32.div_u (local.get $v) (i32.const 100)))
      (local.set $end (i32.sub (local.get $end) (i32.const 2)))
      (i32.store16 (local.get $end) (i32.load16_u offset=10000
        (i32.shl (i32.sub (local.get $v) (i32.mul (local.get $q) (i32.const 100))) (i32.const 1))))
      (local.set $v (local.get $q))
      (br $pairs)))
    (if (i32.ge_u (local.get $v) (i32.const 10))
      (then (i32.store16 (i32.sub (local.get $end) (i32.const 2))
        (i32.load16_u offset=10000 (i32.shl (local.get $v) (i32.const 1)))))
      (else (i32.store8 (i32.sub (local.get $end) (i32.const 1))
        (i32.add (i32.const 48) (local.get $v))))))

  ;; Exactly 8 digits of 0 ≤ v < 10^8, leading zeros kept, ending just before `end`.
  (func $write8Digits (param $v i32) (param $end i32)
    (local $high i32) (local $low i32)
    (local.set $high (i32.div_u (local.get $v) (i32.const 10000)))
    (local.set $low (i32.sub (local.get $v) (i32.mul (local.get $high) (i32.const 10000))))
    (local.set $end (i32.sub (local.get $end) (i32.const 8)))
    (i32.store16 (local.get $end) (i32.load16_u offset=10000
      (i32.shl (i32.div_u (local.get $high) (i32.const 100)) (i32.const 1))))
    (i32.store16 offset=2 (local.get $end) (i32.load16_u offset=10000
      (i32.shl (i32.rem_u (local.get $high) (i32.const 100)) (i32.const 1))))
    (i32.store16 offset=4 (local.get $end) (i32.load16_u offset=10000
      (i32.shl (i32.div_u (local.get $low) (i32.const 100)) (i32.const 1))))
    (i32.store16 offset=6 (local.get $end) (i32.load16_u offset=10000
      (i32.shl (i32.rem_u (local.get $low) (i32.const 100)) (i32.const 1)))))

  ;; Number of decimal digits of 1 ≤ v < 2^32.
  (func $decimalLength (param $v i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $v) (i32.const 10000))
      (then (select (select (i32.const 1) (i32.const 2) (i32.lt_u (local.get $v) (i32.const 10)))
        (select (i32.const 3) (i32.const 4) (i32.lt_u (local.get $v) (i32.const 1000)))
        (i32.lt_u (local.get $v) (i32.const 100))))
      (else (if (result i32) (i32.lt_u (local.get $v) (i32.const 100000000))
        (then (select (select (i32.const 5) (i32.const 6) (i32.lt_u (local.get $v) (i32.const 100000)))
          (select (i32.const 7) (i32.const 8) (i32.lt_u (local.get $v) (i32.const 10000000)))
          (i32.lt_u (local.get $v) (i32.const 1000000))))
        (else (select (i32.const 9) (i32.const 10) (i32.lt_u (local.get $v) (i32.const 1000000000))))))))

  ;; Lays out d·10^k as Number::toString does and returns its length (at
  ;; `text`): plain for 1e−7 < value < 1e21 (0.000ddd, ddd.ddd, ddd000), else
  ;; d.ddde±n; trailing zeros dropped. The digits are written once, where
  ;; they end up, except that the integer digits of ddd.ddd move one place
  ;; left to make room for the point.
  (func $layout (param $d i64) (param $k i32) (result i32)
    (local $high i32) (local $low i32) (local $count i32) (local $point i32) (local $start i32)
    (local $end i32) (local $significant i32) (local $i i32) (local $e i32)
    ;; d = high·10^8 + low: ⌊d/10^8⌋ in doubles (d < 2^57), then corrected by one either way
    (local.set $high (i32.trunc_f64_u (f64.div (f64.convert_i64_u (local.get $d)) (f64.const 1e8))))
    (local.set $d (i64.sub (local.get $d) (i64.mul (i64.extend_i32_u (local.get $high)) (i64.const 100000000))))
    (if (i64.lt_s (local.get $d) (i64.const 0))
      (then
        (local.set $high (i32.sub (local.get $high) (i32.const 1)))
        (local.set $d (i64.add (local.get $d) (i64.const 100000000)))))
    (if (i64.ge_s (local.get $d) (i64.const 100000000))
      (then
        (local.set $high (i32.add (local.get $high) (i32.const 1)))
        (local.set $d (i64.sub (local.get $d) (i64.const 100000000)))))
    (local.set $low (i32.wrap_i64 (local.get $d)))
    (local.set $count (if (result i32) (local.get $high)
      (then (i32.add (call $decimalLength (local.get $high)) (i32.const 8)))
      (else (call $decimalLength (local.get $low)))))
    (local.set $point (i32.add (local.get $count) (local.get $k)))
    (if (i32.or (i32.gt_s (local.get $point) (i32.const 21)) (i32.le_s (local.get $point) (i32.const -6)))
      (then (return (call $exponential (local.get $high) (local.get $low) (local.get $count) (local.get $point)))))
    (local.set $start (i32.add (global.get $text) (i32.const 1)))
    (if (i32.le_s (local.get $point) (i32.const 0))
      (then
        ;; 0.000ddd
        (i32.store16 (global.get $text) (i32.const 0x2e30))
        (local.set $start (i32.sub (i32.add (global.get $text) (i32.const 2)) (local.get $point)))
        (local.set $i (i32.add (global.get $text) (i32.const 2)))
        (block $zeros (loop $zero
          (br_if $zeros (i32.ge_u (local.get $i) (local.get $start)))
          (i32.store8 (local.get $i) (i32.const 48))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $zero)))))
    (local.set $end (call $writeAll (local.get $high) (local.get $low) (local.get $count) (local.get $start)))
    (if (i32.le_s (local.get $point) (i32.const 0))
      (then (return (i32.sub (local.get $end) (global.get $text)))))
    (local.set $significant (i32.sub (local.get $end) (local.get $start)))
    ;; the integer digits move one place left, for the point (or for nothing: an integer)
    (local.set $i (i32.const 0))
    (block $moved (loop $move
      (br_if $moved (i32.ge_s (local.get $i) (select (local.get $point) (local.get $significant)
        (i32.lt_s (local.get $point) (local.get $significant)))))
      (i32.store8 (i32.add (global.get $text) (local.get $i))
        (i32.load8_u offset=1 (i32.add (global.get $text) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $move)))
    (if (i32.lt_s (local.get $point) (local.get $significant))
      (then
        (i32.store8 (i32.add (global.get $text) (local.get $point)) (i32.const 46))
        (return (i32.sub (local.get $end) (global.get $text)))))
    ;; ddd000
    (block $filled (loop $fill
      (br_if $filled (i32.ge_s (local.get $i) (local.get $point)))
      (i32.store8 (i32.add (global.get $text) (local.get $i)) (i32.const 48))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    (local.get $point))

  ;; The `count` digits of high·10^8 + low from `start`, trailing zeros
  ;; dropped; returns their end.
  (func $writeAll (param $high i32) (param $low i32) (param $count i32) (param $start i32) (result i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $start) (local.get $count)))
    (if (local.get $high)
      (then
        (call $write8Digits (local.get $low) (local.get $end))
        (call $writeDigits (local.get $high) (i32.sub (local.get $end) (i32.const 8))))
      (else (call $writeDigits (local.get $low) (local.get $end))))
    (block $trimmed (loop $trim
      (br_if $trimmed (i32.ne (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 48)))
      (local.set $end (i32.sub (local.get $end) (i32.const 1)))
      (br $trim)))
    (local.get $end))

  ;; d.ddde±n: below 1e−6 or from 1e21 on.
  (func $exponential (param $high i32) (param $low i32) (param $count i32) (param $point i32) (result i32)
    (local $end i32) (local $e i32)
    (local.set $end (call $writeAll (local.get $high) (local.get $low) (local.get $count)
      (i32.add (global.get $text) (i32.const 1))))
    (i32.store8 (global.get $text) (i32.load8_u offset=1 (global.get $text)))
    (if (i32.gt_s (i32.sub (local.get $end) (global.get $text)) (i32.const 2))
      (then (i32.store8 offset=1 (global.get $text) (i32.const 46)))
      (else (local.set $end (i32.add (global.get $text) (i32.const 1)))))
    (i32.store8 (local.get $end) (i32.const 101))
    (local.set $e (i32.sub (local.get $point) (i32.const 1)))
    (if (i32.lt_s (local.get $e) (i32.const 0))
      (then
        (i32.store8 offset=1 (local.get $end) (i32.const 45))
        (local.set $e (i32.sub (i32.const 0) (local.get $e))))
      (else (i32.store8 offset=1 (local.get $end) (i32.const 43))))
    (local.set $end (i32.add (i32.add (local.get $end) (i32.const 2)) (call $decimalLength (local.get $e))))
    (call $writeDigits (local.get $e) (local.get $end))
    (i32.sub (local.get $end) (global.get $text)))

  (func (export "format") (param $x f64) (result i32)
    (local $bits i64) (local $exponent i32) (local $c i64) (local $q i32) (local $lowerCloser i32)
    (local $k i32) (local $h i32) (local $index i32) (local $entry i32) (local $gLo i64) (local $gHi i64)
    (local $cp i64) (local $c0 i64) (local $c1 i64) (local $u0 i64) (local $u1 i64) (local $q00 i64) (local $q10 i64)
    (local $mid i64) (local $a0 i64) (local $a1 i64) (local $b0 i64) (local $b1 i64)
    (local $p0 i64) (local $p1 i64) (local $p2 i64) (local $e0 i64) (local $e1 i64) (local $e2 i64)
    (local $r0 i64) (local $r1 i64) (local $carry i64) (local $shift i64)
    (local $vbl i64) (local $vb i64) (local $vbr i64) (local $odd i64)
    (local $lower i64) (local $upper i64) (local $s i64) (local $sp i64) (local $low i32) (local $high i32)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $exponent (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 52))))
    (local.set $c (i64.and (local.get $bits) (i64.const 0xfffffffffffff)))
    (if (i32.eqz (local.get $exponent))
      (then (local.set $q (i32.const -1074)))
      (else
        ;; just above a power of two (not the smallest normal) the next double down is half as far
        (local.set $lowerCloser (i32.and (i64.eqz (local.get $c)) (i32.gt_u (local.get $exponent) (i32.const 1))))
        (local.set $c (i64.or (local.get $c) (i64.const 0x10000000000000)))
        (local.set $q (i32.sub (local.get $exponent) (i32.const 1075)))))
    ;; k = ⌊log10 2^q⌋ or ⌊log10 ¾·2^q⌋; h = q + ⌊log2 10^−k⌋ + 1, in 1..4
    (local.set $k (i32.shr_s
      (i32.sub (i32.mul (local.get $q) (i32.const 1262611)) (select (i32.const 524031) (i32.const 0) (local.get $lowerCloser)))
      (i32.const 22)))
    (local.set $h (i32.add (i32.add (local.get $q) (i32.const 1))
      (i32.shr_s (i32.mul (i32.sub (i32.const 0) (local.get $k)) (i32.const 1741647)) (i32.const 19))))
    (local.set $index (i32.add (i32.sub (i32.const 0) (local.get $k)) (i32.const 292)))
    (local.set $entry (i32.add (i32.const 16) (i32.shl (local.get $index) (i32.const 4))))
    (local.set $gLo (i64.load (local.get $entry)))
    (local.set $gHi (i64.load offset=8 (local.get $entry)))
    (if (i64.eqz (local.get $gHi))
      (then (return (i32.add (global.get $missing) (local.get $index)))))
    ;; P = g·cp for the middle point, cp = 4c·2^h: 192 bits in p2:p1:p0 from
    ;; two 64×64-bit products (gLo·cp, gHi·cp), each from four 32×32-bit ones.
    ;; Written out, not called: V8 in Node 20 does not inline WebAssembly calls.
    (local.set $cp (i64.shl (i64.shl (local.get $c) (i64.const 2)) (i64.extend_i32_u (local.get $h))))
    (local.set $c0 (i64.and (local.get $cp) (i64.const 0xffffffff)))
    (local.set $c1 (i64.shr_u (local.get $cp) (i64.const 32)))
    ;; gLo·cp = a1:a0
    (local.set $u0 (i64.and (local.get $gLo) (i64.const 0xffffffff)))
    (local.set $u1 (i64.shr_u (local.get $gLo) (i64.const 32)))
    (local.set $q00 (i64.mul (local.get $u0) (local.get $c0)))
    (local.set $q10 (i64.mul (local.get $u1) (local.get $c0)))
    ;; cannot overflow: (2^32 − 1)² + 2·(2^32 − 1) < 2^64
    (local.set $mid (i64.add (i64.add (i64.shr_u (local.get $q00) (i64.const 32))
      (i64.and (local.get $q10) (i64.const 0xffffffff))) (i64.mul (local.get $u0) (local.get $c1))))
    (local.set $a1 (i64.add (i64.add (i64.mul (local.get $u1) (local.get $c1)) (i64.shr_u (local.get $q10) (i64.const 32)))
      (i64.shr_u (local.get $mid) (i64.const 32))))
    (local.set $a0 (i64.or (i64.shl (local.get $mid) (i64.const 32)) (i64.and (local.get $q00) (i64.const 0xffffffff))))
    ;; gHi·cp = b1:b0
    (local.set $u0 (i64.and (local.get $gHi) (i64.const 0xffffffff)))
    (local.set $u1 (i64.shr_u (local.get $gHi) (i64.const 32)))
    (local.set $q00 (i64.mul (local.get $u0) (local.get $c0)))
    (local.set $q10 (i64.mul (local.get $u1) (local.get $c0)))
    (local.set $mid (i64.add (i64.add (i64.shr_u (local.get $q00) (i64.const 32))
      (i64.and (local.get $q10) (i64.const 0xffffffff))) (i64.mul (local.get $u0) (local.get $c1))))
    (local.set $b1 (i64.add (i64.add (i64.mul (local.get $u1) (local.get $c1)) (i64.shr_u (local.get $q10) (i64.const 32)))
      (i64.shr_u (local.get $mid) (i64.const 32))))
    (local.set $b0 (i64.or (i64.shl (local.get $mid) (i64.const 32)) (i64.and (local.get $q00) (i64.const 0xffffffff))))
    (local.set $p0 (local.get $a0))
    (local.set $p1 (i64.add (local.get $b0) (local.get $a1)))
    (local.set $p2 (i64.add (local.get $b1) (i64.extend_i32_u (i64.lt_u (local.get $p1) (local.get $b0)))))
    ;; each point rounded to odd: ⌊P/2^128⌋, its last bit set when P mod 2^128 ≥ 2^65
    (local.set $vb (i64.or (local.get $p2) (i64.extend_i32_u (i64.gt_u (local.get $p1) (i64.const 1)))))
    ;; the upper end: P + 2·2^h·g = P + (g << (h + 1))
    (local.set $shift (i64.extend_i32_u (i32.add (local.get $h) (i32.const 1))))
    (local.set $e0 (i64.shl (local.get $gLo) (local.get $shift)))
    (local.set $e1 (i64.or (i64.shl (local.get $gHi) (local.get $shift))
      (i64.shr_u (local.get $gLo) (i64.sub (i64.const 64) (local.get $shift)))))
    (local.set $e2 (i64.shr_u (local.get $gHi) (i64.sub (i64.const 64) (local.get $shift))))
    (local.set $r0 (i64.add (local.get $p0) (local.get $e0)))
    (local.set $carry (i64.extend_i32_u (i64.lt_u (local.get $r0) (local.get $p0))))
    (local.set $r1 (i64.add (i64.add (local.get $p1) (local.get $e1)) (local.get $carry)))
    ;; carry out of p1 + e1 + carry: the sum wrapped below p1, or equals it with e1 + carry = 2^64
    (local.set $carry (i64.extend_i32_u (i32.or (i64.lt_u (local.get $r1) (local.get $p1))
      (i32.and (i64.eq (local.get $r1) (local.get $p1)) (i64.ne (i64.or (local.get $e1) (local.get $carry)) (i64.const 0))))))
    (local.set $vbr (i64.or (i64.add (i64.add (local.get $p2) (local.get $e2)) (local.get $carry))
      (i64.extend_i32_u (i64.gt_u (local.get $r1) (i64.const 1)))))
    ;; the lower end: P − (2 − lowerCloser)·2^h·g = P − (g << (h + 1 − lowerCloser))
    (local.set $shift (i64.sub (local.get $shift) (i64.extend_i32_u (local.get $lowerCloser))))
    (local.set $e0 (i64.shl (local.get $gLo) (local.get $shift)))
    (local.set $e1 (i64.or (i64.shl (local.get $gHi) (local.get $shift))
      (i64.shr_u (local.get $gLo) (i64.sub (i64.const 64) (local.get $shift)))))
    (local.set $e2 (i64.shr_u (local.get $gHi) (i64.sub (i64.const 64) (local.get $shift))))
    (local.set $r0 (i64.sub (local.get $p0) (local.get $e0)))
    (local.set $carry (i64.extend_i32_u (i64.lt_u (local.get $p0) (local.get $e0))))
    (local.set $r1 (i64.sub (i64.sub (local.get $p1) (local.get $e1)) (local.get $carry)))
    ;; borrow out of p1 − e1 − borrow: p1 < e1 + borrow, as 65-bit numbers
    (local.set $carry (i64.extend_i32_u (i32.or (i64.lt_u (local.get $p1) (local.get $e1))
      (i32.and (i64.eq (local.get $p1) (local.get $e1)) (i32.wrap_i64 (local.get $carry))))))
    (local.set $vbl (i64.or (i64.sub (i64.sub (local.get $p2) (local.get $e2)) (local.get $carry))
      (i64.extend_i32_u (i64.gt_u (local.get $r1) (i64.const 1)))))
    ;; an odd c's interval is open: its ends are not candidates
    (local.set $odd (i64.and (local.get $c) (i64.const 1)))
    (local.set $lower (i64.add (local.get $vbl) (local.get $odd)))
    (local.set $upper (i64.sub (local.get $vbr) (local.get $odd)))
    (local.set $s (i64.shr_u (local.get $vb) (i64.const 2)))
    ;; one digit shorter: the multiples of 40 (of 10 in digits) in the interval
    (if (i64.ge_u (local.get $s) (i64.const 10))
      (then
        (local.set $sp (i64.div_u (local.get $s) (i64.const 10)))
        (local.set $low (i64.le_u (local.get $lower) (i64.mul (local.get $sp) (i64.const 40))))
        (local.set $high (i64.ge_u (local.get $upper) (i64.add (i64.mul (local.get $sp) (i64.const 40)) (i64.const 40))))
        (if (i32.ne (local.get $low) (local.get $high))
          (then
            (return (call $layout (i64.add (local.get $sp) (i64.extend_i32_u (local.get $high)))
              (i32.add (local.get $k) (i32.const 1))))))))
    (local.set $low (i64.le_u (local.get $lower) (i64.shl (local.get $s) (i64.const 2))))
    (local.set $high (i64.ge_u (local.get $upper) (i64.add (i64.shl (local.get $s) (i64.const 2)) (i64.const 4))))
    (if (i32.ne (local.get $low) (local.get $high))
      (then
        (return (call $layout (i64.add (local.get $s) (i64.extend_i32_u (local.get $high))) (local.get $k)))))
    ;; both or neither in the interval: the closer, ties to even
    (call $layout (i64.add (local.get $s) (i64.extend_i32_u (i32.or
      (i64.gt_u (local.get $vb) (i64.add (i64.shl (local.get $s) (i64.const 2)) (i64.const 2)))
      (i32.and
        (i64.eq (local.get $vb) (i64.add (i64.shl (local.get $s) (i64.const 2)) (i64.const 2)))
        (i32.wrap_i64 (i64.and (local.get $s) (i64.const 1)))))))
      (local.get $k))))
