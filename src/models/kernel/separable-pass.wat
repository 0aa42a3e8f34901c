(module
  ;; The two passes of the separable Gaussian convolution in convolve.ts, two f64 lanes at a time, eight columns per
  ;; sweep (the plain JS loops were 55% of a KDE backtest). Rebuild the embedded bytes after editing:
  ;;   wat2wasm src/models/kernel/separable-pass.wat --output=- | base64 -w0
  ;; and paste them into separable-pass.ts (Debian: apt-get install wabt).
  (memory (export "memory") 1)
  ;; Row pass: dst[(y + R) · sx + x] = w[0]·s[x] + Σ_{k=1..R} w[k]·(s[x−k] + s[x+k]) for y < ny, x < sx, where s is
  ;; row y of src (stride ps ≥ sx + 2R, column x stored at x + R, zeros around) and dst is the column pass's input.
  (func (export "rows") (param $src i32) (param $dst i32) (param $w i32) (param $R i32) (param $sx i32) (param $ps i32) (param $ny i32)
    (local $y i32) (local $xb i32) (local $k i32) (local $c i32) (local $l i32) (local $r i32) (local $wp i32) (local $o i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wk v128)
    (local.set $y (i32.const 0))
    (block $ydone
      (loop $ys
        (br_if $ydone (i32.ge_u (local.get $y) (local.get $ny)))
        (local.set $xb (i32.const 0))
        (block $xdone
          (loop $xblocks
            (br_if $xdone (i32.ge_u (local.get $xb) (local.get $sx)))
            (local.set $c (i32.add (local.get $src)
              (i32.shl (i32.add (i32.mul (local.get $y) (local.get $ps)) (i32.add (local.get $xb) (local.get $R))) (i32.const 3))))
            (local.set $wk (f64x2.splat (f64.load (local.get $w))))
            (local.set $a0 (f64x2.mul (local.get $wk) (v128.load align=8 (local.get $c))))
            (local.set $a1 (f64x2.mul (local.get $wk) (v128.load offset=16 align=8 (local.get $c))))
            (local.set $a2 (f64x2.mul (local.get $wk) (v128.load offset=32 align=8 (local.get $c))))
            (local.set $a3 (f64x2.mul (local.get $wk) (v128.load offset=48 align=8 (local.get $c))))
            (local.set $l (local.get $c))
            (local.set $r (local.get $c))
            (local.set $wp (local.get $w))
            (local.set $k (i32.const 0))
            (block $kdone
              (loop $taps
                (br_if $kdone (i32.ge_u (local.get $k) (local.get $R)))
                (local.set $l (i32.sub (local.get $l) (i32.const 8)))
                (local.set $r (i32.add (local.get $r) (i32.const 8)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
                (local.set $wk (f64x2.splat (f64.load (local.get $wp))))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wk)
                  (f64x2.add (v128.load align=8 (local.get $l)) (v128.load align=8 (local.get $r))))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wk)
                  (f64x2.add (v128.load offset=16 align=8 (local.get $l)) (v128.load offset=16 align=8 (local.get $r))))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wk)
                  (f64x2.add (v128.load offset=32 align=8 (local.get $l)) (v128.load offset=32 align=8 (local.get $r))))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wk)
                  (f64x2.add (v128.load offset=48 align=8 (local.get $l)) (v128.load offset=48 align=8 (local.get $r))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $taps)))
            (local.set $o (i32.add (local.get $dst)
              (i32.shl (i32.add (i32.mul (i32.add (local.get $y) (local.get $R)) (local.get $sx)) (local.get $xb)) (i32.const 3))))
            (v128.store (local.get $o) (local.get $a0))
            (v128.store offset=16 (local.get $o) (local.get $a1))
            (v128.store offset=32 (local.get $o) (local.get $a2))
            (v128.store offset=48 (local.get $o) (local.get $a3))
            (local.set $xb (i32.add (local.get $xb) (i32.const 8)))
            (br $xblocks)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $ys))))
  ;; Column pass: dst[y][x] = w[0]·src[y][x] + Σ_{k=1..R} w[k]·(src[y−k][x] + src[y+k][x]) for y < ny, x < sx.
  ;; src: (ny + 2R) rows of sx f64, data row y stored at row y + R, the R rows above and below zero;
  ;; dst: ny rows of sx f64; sx a multiple of 8 (one 64-byte block of 8 columns per inner sweep);
  ;; w: R + 1 f64 (the kernel is symmetric).
  (func (export "columns") (param $src i32) (param $dst i32) (param $w i32) (param $R i32) (param $sx i32) (param $ny i32)
    (local $stride i32) (local $xb i32) (local $y i32) (local $k i32) (local $c i32) (local $up i32) (local $dn i32)
    (local $wp i32) (local $o i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wk v128)
    (local.set $stride (i32.shl (local.get $sx) (i32.const 3)))
    (local.set $xb (i32.const 0))
    (block $xdone
      (loop $xblocks
        (br_if $xdone (i32.ge_u (local.get $xb) (local.get $sx)))
        (local.set $y (i32.const 0))
        (block $ydone
          (loop $rows
            (br_if $ydone (i32.ge_u (local.get $y) (local.get $ny)))
            ;; centre: row y + R, columns xb … xb + 7
            (local.set $c (i32.add (local.get $src)
              (i32.shl (i32.add (i32.mul (i32.add (local.get $y) (local.get $R)) (local.get $sx)) (local.get $xb)) (i32.const 3))))
            (local.set $wk (f64x2.splat (f64.load (local.get $w))))
            (local.set $a0 (f64x2.mul (local.get $wk) (v128.load (local.get $c))))
            (local.set $a1 (f64x2.mul (local.get $wk) (v128.load offset=16 (local.get $c))))
            (local.set $a2 (f64x2.mul (local.get $wk) (v128.load offset=32 (local.get $c))))
            (local.set $a3 (f64x2.mul (local.get $wk) (v128.load offset=48 (local.get $c))))
            (local.set $up (local.get $c))
            (local.set $dn (local.get $c))
            (local.set $wp (local.get $w))
            (local.set $k (i32.const 0))
            (block $kdone
              (loop $taps
                (br_if $kdone (i32.ge_u (local.get $k) (local.get $R)))
                (local.set $up (i32.sub (local.get $up) (local.get $stride)))
                (local.set $dn (i32.add (local.get $dn) (local.get $stride)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
                (local.set $wk (f64x2.splat (f64.load (local.get $wp))))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wk)
                  (f64x2.add (v128.load (local.get $up)) (v128.load (local.get $dn))))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wk)
                  (f64x2.add (v128.load offset=16 (local.get $up)) (v128.load offset=16 (local.get $dn))))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wk)
                  (f64x2.add (v128.load offset=32 (local.get $up)) (v128.load offset=32 (local.get $dn))))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wk)
                  (f64x2.add (v128.load offset=48 (local.get $up)) (v128.load offset=48 (local.get $dn))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $taps)))
            (local.set $o (i32.add (local.get $dst)
              (i32.shl (i32.add (i32.mul (local.get $y) (local.get $sx)) (local.get $xb)) (i32.const 3))))
            (v128.store (local.get $o) (local.get $a0))
            (v128.store offset=16 (local.get $o) (local.get $a1))
            (v128.store offset=32 (local.get $o) (local.get $a2))
            (v128.store offset=48 (local.get $o) (local.get $a3))
            (local.set $y (i32.add (local.get $y) (i32.const 1)))
            (br $rows)))
        (local.set $xb (i32.add (local.get $xb) (i32.const 8)))
        (br $xblocks)))))
