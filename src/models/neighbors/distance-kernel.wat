(module
  ;; Float32 squared distances of four queries to every training row, four rows per SIMD lane group and two
  ;; groups per step (eight accumulators). knn.ts uses them only as a filter: rows whose float32 distance,
  ;; less a rounding bound, exceeds the current k-th exact distance are skipped; every other row is re-scored
  ;; in float64. Rebuild the embedded bytes after editing:
  ;;   wat2wasm src/models/neighbors/distance-kernel.wat --output=- | base64 -w0
  ;; and paste them into distance-kernel.ts (Debian: apt-get install wabt).
  (memory (export "memory") 1)
  ;; zt: f32 [p × nPad] feature-major training rows (nPad a multiple of 8);
  ;; q: f32 [p × 4] the four queries interleaved by feature (q[j·4 + qq]);
  ;; out: f32 [4 × nPad], out[qq·nPad + i] = Σ_j (zt[j·nPad + i] − q[j·4 + qq])², summed in feature order.
  (func (export "dist4") (param $zt i32) (param $npad i32) (param $p i32) (param $q i32) (param $out i32)
    (local $ib i32) (local $end i32) (local $stride i32) (local $zp i32) (local $qp i32) (local $j i32)
    (local $o i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $z0 v128) (local $z1 v128) (local $s v128) (local $t v128)
    (local.set $stride (i32.shl (local.get $npad) (i32.const 2)))
    (local.set $end (local.get $stride))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $ib) (local.get $end)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $a4 (v128.const i32x4 0 0 0 0)) (local.set $a5 (v128.const i32x4 0 0 0 0))
        (local.set $a6 (v128.const i32x4 0 0 0 0)) (local.set $a7 (v128.const i32x4 0 0 0 0))
        (local.set $zp (i32.add (local.get $zt) (local.get $ib)))
        (local.set $qp (local.get $q))
        (local.set $j (local.get $p))
        (loop $feats
          (local.set $z0 (v128.load (local.get $zp)))
          (local.set $z1 (v128.load offset=16 (local.get $zp)))
          (local.set $s (v128.load32_splat (local.get $qp)))
          (local.set $t (f32x4.sub (local.get $z0) (local.get $s)))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $t) (local.get $t))))
          (local.set $t (f32x4.sub (local.get $z1) (local.get $s)))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $t) (local.get $t))))
          (local.set $s (v128.load32_splat offset=4 (local.get $qp)))
          (local.set $t (f32x4.sub (local.get $z0) (local.get $s)))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $t) (local.get $t))))
          (local.set $t (f32x4.sub (local.get $z1) (local.get $s)))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $t) (local.get $t))))
          (local.set $s (v128.load32_splat offset=8 (local.get $qp)))
          (local.set $t (f32x4.sub (local.get $z0) (local.get $s)))
          (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $t) (local.get $t))))
          (local.set $t (f32x4.sub (local.get $z1) (local.get $s)))
          (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $t) (local.get $t))))
          (local.set $s (v128.load32_splat offset=12 (local.get $qp)))
          (local.set $t (f32x4.sub (local.get $z0) (local.get $s)))
          (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $t) (local.get $t))))
          (local.set $t (f32x4.sub (local.get $z1) (local.get $s)))
          (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $t) (local.get $t))))
          (local.set $zp (i32.add (local.get $zp) (local.get $stride)))
          (local.set $qp (i32.add (local.get $qp) (i32.const 16)))
          (br_if $feats (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
        (local.set $o (i32.add (local.get $out) (local.get $ib)))
        (v128.store (local.get $o) (local.get $a0))
        (v128.store offset=16 (local.get $o) (local.get $a1))
        (local.set $o (i32.add (local.get $o) (local.get $stride)))
        (v128.store (local.get $o) (local.get $a2))
        (v128.store offset=16 (local.get $o) (local.get $a3))
        (local.set $o (i32.add (local.get $o) (local.get $stride)))
        (v128.store (local.get $o) (local.get $a4))
        (v128.store offset=16 (local.get $o) (local.get $a5))
        (local.set $o (i32.add (local.get $o) (local.get $stride)))
        (v128.store (local.get $o) (local.get $a6))
        (v128.store offset=16 (local.get $o) (local.get $a7))
        (local.set $ib (i32.add (local.get $ib) (i32.const 32)))
        (br $rows))))
;; The first i' ≥ i below n with d[i'] ≤ cut (n when none): the filter's scan over one query's float32
  ;; distances, four at a time. d: f32 [n], 16-byte aligned.
  (func (export "next") (param $d i32) (param $i i32) (param $n i32) (param $cut f32) (result i32)
    (local $c v128) (local $end4 i32)
    (local.set $c (f32x4.splat (local.get $cut)))
    ;; one by one up to a multiple of four
    (block $aligned
      (loop $pre
        (br_if $aligned (i32.eqz (i32.and (local.get $i) (i32.const 3))))
        (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (local.get $n))))
        (if (f32.le (f32.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2)))) (local.get $cut))
          (then (return (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $pre)))
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (block $hit
      (loop $blocks
        (br_if $hit (i32.ge_u (local.get $i) (local.get $end4)))
        (br_if $hit (v128.any_true (f32x4.le (v128.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2))))
                                             (local.get $c))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $blocks)))
    ;; one by one inside the block that matched, or over the last n mod 4
    (block $none
      (loop $post
        (br_if $none (i32.ge_u (local.get $i) (local.get $n)))
        (if (f32.le (f32.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2)))) (local.get $cut))
          (then (return (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $post)))
    (local.get $n))
;; The k-th smallest of d[0 … n) (1 ≤ k ≤ n) by a bounded max-heap of k values at h, four values tested per
  ;; step against the heap's top: knn.ts turns it into the cut that leaves only near-certain neighbours.
  (func (export "kth") (param $d i32) (param $n i32) (param $k i32) (param $h i32) (result f32)
    (local $i i32) (local $c i32) (local $v f32) (local $top v128) (local $end4 i32) (local $stop i32)
    ;; heap of the first k values
    (memory.copy (local.get $h) (local.get $d) (i32.shl (local.get $k) (i32.const 2)))
    (local.set $c (i32.shr_u (local.get $k) (i32.const 1)))
    (block $built
      (loop $heapify
        (br_if $built (i32.eqz (local.get $c)))
        (local.set $c (i32.sub (local.get $c) (i32.const 1)))
        (call $sift (local.get $h) (local.get $k) (local.get $c))
        (br $heapify)))
    (local.set $i (local.get $k))
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $top (f32x4.splat (f32.load (local.get $h))))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; a block of four wholly at or above the top changes nothing
        (if (i32.and (i32.eqz (i32.and (local.get $i) (i32.const 3))) (i32.lt_u (local.get $i) (local.get $end4)))
          (then
            (if (i32.eqz (v128.any_true (f32x4.lt (v128.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2))))
                                                  (local.get $top))))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $scan)))))
        ;; one by one to the end of this block of four (or of the rows)
        (local.set $stop (i32.and (i32.add (local.get $i) (i32.const 4)) (i32.const -4)))
        (if (i32.gt_u (local.get $stop) (local.get $n)) (then (local.set $stop (local.get $n))))
        (loop $one
          (local.set $v (f32.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2)))))
          (if (f32.lt (local.get $v) (f32.load (local.get $h)))
            (then
              (f32.store (local.get $h) (local.get $v))
              (call $sift (local.get $h) (local.get $k) (i32.const 0))))
          (br_if $one (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $stop))))
        (local.set $top (f32x4.splat (f32.load (local.get $h))))
        (br $scan)))
    (f32.load (local.get $h)))

  ;; Max-heap sift-down of entry c among h[0 … k).
  (func $sift (param $h i32) (param $k i32) (param $c i32)
    (local $l i32) (local $m i32) (local $t f32)
    (block $done
      (loop $down
        (local.set $l (i32.add (i32.shl (local.get $c) (i32.const 1)) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $l) (local.get $k)))
        (local.set $m (local.get $l))
        (if (i32.lt_u (i32.add (local.get $l) (i32.const 1)) (local.get $k))
          (then
            (if (f32.gt (f32.load offset=4 (i32.add (local.get $h) (i32.shl (local.get $l) (i32.const 2))))
                        (f32.load (i32.add (local.get $h) (i32.shl (local.get $l) (i32.const 2)))))
              (then (local.set $m (i32.add (local.get $l) (i32.const 1)))))))
        (br_if $done (f32.le (f32.load (i32.add (local.get $h) (i32.shl (local.get $m) (i32.const 2))))
                             (f32.load (i32.add (local.get $h) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $t (f32.load (i32.add (local.get $h) (i32.shl (local.get $m) (i32.const 2)))))
        (f32.store (i32.add (local.get $h) (i32.shl (local.get $m) (i32.const 2)))
                   (f32.load (i32.add (local.get $h) (i32.shl (local.get $c) (i32.const 2)))))
        (f32.store (i32.add (local.get $h) (i32.shl (local.get $c) (i32.const 2))) (local.get $t))
        (local.set $c (local.get $m))
        (br $down))))
)
