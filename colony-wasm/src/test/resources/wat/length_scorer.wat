;; A scorer: each candidate's score is the length of its JSON (more capabilities, longer JSON, higher).
;; Input: the task (task_len bytes), then n candidates, each a u32 length (little-endian) and its bytes.
;; Output: n f64 scores written at the input.
(module
  (memory (export "memory") 1 16)
  (func (export "colony_abi_version") (result i32) i32.const 0)
  (func (export "colony_input") (result i32) i32.const 1024)
  (func (export "colony_input_capacity") (result i32) i32.const 60000)
  (func (export "colony_configure") (param i32) (result i32) i32.const 0)
  (func (export "colony_score") (param $tl i32) (param $n i32) (result i32)
    (local $p i32) (local $k i32) (local $len i32)
    ;; first pass: copy the lengths to a scratch area at 512, since scores overwrite the input
    (local.set $p (i32.add (i32.const 1024) (local.get $tl)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $len (i32.load (local.get $p)))
        (i32.store (i32.add (i32.const 0) (i32.shl (local.get $k) (i32.const 2))) (local.get $len))
        (local.set $p (i32.add (local.get $p) (i32.add (i32.const 4) (local.get $len))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.set $k (i32.const 0))
    (block $done2
      (loop $write
        (br_if $done2 (i32.ge_u (local.get $k) (local.get $n)))
        (f64.store (i32.add (i32.const 1024) (i32.shl (local.get $k) (i32.const 3)))
          (f64.convert_i32_u (i32.load (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $write)))
    (i32.const 0))
)
