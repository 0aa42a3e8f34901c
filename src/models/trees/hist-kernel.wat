(module
  ;; Row-wise histogram and partition kernels of grower.ts (the JS histogram loop measured 2.5× slower on the
  ;; ST-HSL bins). Rebuild the embedded bytes after editing:
  ;;   wat2wasm --enable-threads src/models/trees/hist-kernel.wat --output=- | base64 -w0
  ;; and paste them into hist-kernel.ts (Debian: apt-get install wabt).
  ;; shared, so worker threads run the histogram over other features of the same rows (hist-kernel.ts)
  (import "env" "memory" (memory 1 65536 shared))
  ;; Per-bin sums of g, h and count over rows[start … end), two accumulators alternating rows (see grower.ts).
  ;; rows: u32 row indices; rb: row-major u8 bins (stride bytes per row; the first of the nf features summed
  ;; here, whose histograms start at hist and hist2); gh: f64 pairs (g, h) per row, so one
  ;; f64x2 add updates both sums of a bin (the same two IEEE additions as scalar code, so the same bits);
  ;; hist, hist2: f64 [nCols × 256 × 3], already zeroed where used.
  (func (export "hist2") (param $rows i32) (param $start i32) (param $end i32) (param $rb i32) (param $stride i32)
        (param $ncols i32) (param $gh i32) (param $hist i32) (param $hist2 i32)
    (local $k i32) (local $r i32) (local $r2 i32) (local $o i32) (local $o2 i32) (local $f i32)
    (local $b1 i32) (local $b2 i32) (local $i i32) (local $j i32)
    (local $v1 v128) (local $v2 v128)
    (local.set $k (local.get $start))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (i32.add (local.get $k) (i32.const 1)) (local.get $end)))
        (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $r2 (i32.load offset=4 (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $v1 (v128.load (i32.add (local.get $gh) (i32.shl (local.get $r) (i32.const 4)))))
        (local.set $v2 (v128.load (i32.add (local.get $gh) (i32.shl (local.get $r2) (i32.const 4)))))
        (local.set $o (i32.add (local.get $rb) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $o2 (i32.add (local.get $rb) (i32.mul (local.get $r2) (local.get $stride))))
        (local.set $f (i32.const 0))
        (local.set $b1 (local.get $hist))
        (local.set $b2 (local.get $hist2))
        (loop $feats
          (local.set $i (i32.add (local.get $b1) (i32.mul (i32.load8_u (i32.add (local.get $o) (local.get $f))) (i32.const 24))))
          (v128.store (local.get $i) (f64x2.add (v128.load (local.get $i)) (local.get $v1)))
          (f64.store offset=16 (local.get $i) (f64.add (f64.load offset=16 (local.get $i)) (f64.const 1)))
          (local.set $j (i32.add (local.get $b2) (i32.mul (i32.load8_u (i32.add (local.get $o2) (local.get $f))) (i32.const 24))))
          (v128.store (local.get $j) (f64x2.add (v128.load (local.get $j)) (local.get $v2)))
          (f64.store offset=16 (local.get $j) (f64.add (f64.load offset=16 (local.get $j)) (f64.const 1)))
          (local.set $b1 (i32.add (local.get $b1) (i32.const 6144)))
          (local.set $b2 (i32.add (local.get $b2) (i32.const 6144)))
          (br_if $feats (i32.lt_u (local.tee $f (i32.add (local.get $f) (i32.const 1))) (local.get $ncols))))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $pairs)))
    ;; odd row left over: into the first accumulator
    (if (i32.lt_u (local.get $k) (local.get $end))
      (then
        (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $v1 (v128.load (i32.add (local.get $gh) (i32.shl (local.get $r) (i32.const 4)))))
        (local.set $o (i32.add (local.get $rb) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $f (i32.const 0))
        (local.set $b1 (local.get $hist))
        (loop $feats1
          (local.set $i (i32.add (local.get $b1) (i32.mul (i32.load8_u (i32.add (local.get $o) (local.get $f))) (i32.const 24))))
          (v128.store (local.get $i) (f64x2.add (v128.load (local.get $i)) (local.get $v1)))
          (f64.store offset=16 (local.get $i) (f64.add (f64.load offset=16 (local.get $i)) (f64.const 1)))
          (local.set $b1 (i32.add (local.get $b1) (i32.const 6144)))
          (br_if $feats1 (i32.lt_u (local.tee $f (i32.add (local.get $f) (i32.const 1))) (local.get $ncols)))))))

  ;; out ← hist + hist2 over n bytes (a multiple of 16), f64x2 adds (the same IEEE sums as a scalar merge), and both
  ;; accumulators zeroed for the next node, in one pass.
  (func (export "merge") (param $hist i32) (param $hist2 i32) (param $out i32) (param $n i32)
    (local $i i32)
    (block $done
      (loop $bins
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f64x2.add (v128.load (i32.add (local.get $hist) (local.get $i))) (v128.load (i32.add (local.get $hist2) (local.get $i)))))
        (v128.store (i32.add (local.get $hist) (local.get $i)) (v128.const i64x2 0 0))
        (v128.store (i32.add (local.get $hist2) (local.get $i)) (v128.const i64x2 0 0))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $bins))))

  ;; Stable partition of rows[0 … len) by a split on feature f: rows whose bin is ≤ bin (and missing rows when
  ;; missLeft = 1) keep their order at the front, the others follow in order (through scratch). Returns the count
  ;; of left rows. col: the feature's u8 bins, column-major (one byte per row: a node's ascending rows read it
  ;; nearly in sequence, where the row-major copy would touch a cache line per row).
  (func (export "partition") (param $rows i32) (param $len i32) (param $scratch i32) (param $col i32)
        (param $bin i32) (param $missLeft i32) (result i32)
    (local $k i32) (local $i i32) (local $nr i32) (local $r i32) (local $b i32)
    (block $done
      (loop $rowsLoop
        (br_if $done (i32.ge_u (local.get $k) (local.get $len)))
        (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $b (i32.load8_u (i32.add (local.get $col) (local.get $r))))
        (if (i32.or (i32.le_u (local.get $b) (local.get $bin))
                    (i32.and (i32.eq (local.get $b) (i32.const 255)) (local.get $missLeft)))
          (then
            (i32.store (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2))) (local.get $r))
            (local.set $i (i32.add (local.get $i) (i32.const 1))))
          (else
            (i32.store (i32.add (local.get $scratch) (i32.shl (local.get $nr) (i32.const 2))) (local.get $r))
            (local.set $nr (i32.add (local.get $nr) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $rowsLoop)))
    (memory.copy (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2))) (local.get $scratch) (i32.shl (local.get $nr) (i32.const 2)))
    (local.get $i))
)
