;; A validator/transformer of message bytes: rejects a message containing '#' (with a reason), replaces
;; every "secret" with "******" in place, and leaves other messages unchanged.
(module
  (memory (export "memory") 1 16)
  (data (i32.const 0) "secret")
  (data (i32.const 16) "the message contains '#'")
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param i32) (result i32) i32.const 0)
  (func (export "colony_reason") (result i64)
    (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 24)))
  (func (export "colony_transform") (param $sl i32) (param $pl i32) (result i64)
    (local $start i32) (local $end i32) (local $i i32) (local $j i32) (local $changed i32)
    (local.set $start (i32.add (i32.const 1024) (local.get $sl)))
    (local.set $end (i32.add (local.get $start) (local.get $pl)))
    (local.set $i (local.get $start))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 35)) (then (return (i64.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (local.set $i (local.get $start))
    (block $done2
      (loop $outer
        (br_if $done2 (i32.gt_s (local.get $i) (i32.sub (local.get $end) (i32.const 6))))
        (local.set $j (i32.const 0))
        (block $mismatch
          (loop $inner
            (br_if $mismatch
              (i32.ne (i32.load8_u (i32.add (local.get $i) (local.get $j))) (i32.load8_u (local.get $j))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $inner (i32.lt_u (local.get $j) (i32.const 6)))
            (memory.fill (local.get $i) (i32.const 42) (i32.const 6))
            (local.set $changed (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (if (i32.eqz (local.get $changed)) (then (return (i64.const -2))))
    (i64.or
      (i64.shl (i64.extend_i32_u (local.get $start)) (i64.const 32))
      (i64.extend_i32_u (local.get $pl))))
)
