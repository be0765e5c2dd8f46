-- bench.lua: the Lua workload of `make bench-ports` (apps/portbench): compute-bound
-- work that only the interpreter and the C library's allocator do (no I/O but the
-- last line). Deterministic: it prints the same checksum on every system.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

-- recursion: function calls
local f = fib(20)

-- table inserts and reads: the array part and the hash part
local t, h = {}, {}
for i = 1, 50000 do t[#t + 1] = i * 7 % 1000 end
for i = 1, 10000 do h["k" .. i] = i end
local sum = 0
for i = 1, #t do sum = sum + t[i] end
for k, v in pairs(h) do sum = sum + v + #k end

-- string building: concatenation, table.concat, string.format, gsub
local parts = {}
for i = 1, 5000 do parts[#parts + 1] = string.format("%05d:%x", i, i * 31) end
local s = table.concat(parts, ",")
local n = 0
s = s:gsub("%d+", function(d) n = n + #d; return "" end)

-- sorting: numbers with the default order, strings with a comparison function
local r, seed = {}, 42
for i = 1, 20000 do seed = (seed * 1103515245 + 12345) % 2147483648; r[i] = seed end
table.sort(r)
local words = {}
for i = 1, 5000 do words[i] = tostring(r[i * 2]) end
table.sort(words, function(a, b) return a > b end)

print(string.format("bench.lua: fib %d sum %d chars %d digits %d min %d word %s",
	f, sum, #s, n, r[1], words[1]))
