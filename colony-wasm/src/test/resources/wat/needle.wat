;; A filter that reads the payload: accepts an event whose payload contains the configured needle
;; (the configuration's bytes; an empty needle accepts everything). Needle at 0, input at 1024.
(module
  (memory (export "memory") 1 16)
  (global $needle_len (mut i32) (i32.const 0))
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param $len i32) (result i32)
    (if (i32.gt_u (local.get $len) (i32.const 1024)) (then (return (i32.const -1))))
    (memory.copy (i32.const 0) (i32.const 1024) (local.get $len))
    (global.set $needle_len (local.get $len))
    (i32.const 0))
  (func (export "colony_filter") (param $sl i32) (param $pl i32) (result i32)
    (local $i i32) (local $last i32) (local $j i32)
    (if (i32.eqz (global.get $needle_len)) (then (return (i32.const 1))))
    (local.set $i (i32.add (i32.const 1024) (local.get $sl)))
    (local.set $last (i32.sub (i32.add (local.get $i) (local.get $pl)) (global.get $needle_len)))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_s (local.get $i) (local.get $last)))
        (local.set $j (i32.const 0))
        (block $mismatch
          (loop $inner
            (br_if $mismatch
              (i32.ne (i32.load8_u (i32.add (local.get $i) (local.get $j))) (i32.load8_u (local.get $j))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $inner (i32.lt_u (local.get $j) (global.get $needle_len)))
            (return (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (i32.const 0))
)
