#!/usr/bin/env bash
# The page-tensor module on a GPU machine that has LibTorch (PyTorch's
# package carries its headers and CMake config) but no Qt, Poppler or
# Tesseract: builds engine/layout/tensor standalone with its test and
# benchmark, runs the test (on CUDA it checks that CUDA and the CPU agree),
# then times the module per page batch on the CPU and on CUDA.
#   bash bench/tensor_cuda.sh [output folder]   (default: build-tensor)
# Also runs without a GPU (Debian's CPU LibTorch): the CPU column only.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-tensor}
mkdir -p "$out"
build=build-tensor

prefix=""
standard=17
if python3 -c 'import torch' 2>/dev/null; then
    prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
    # LibTorch 2.13 and later refuse C++17.
    standard=$(python3 -c 'import torch; v = tuple(int(x) for x in torch.__version__.split("+")[0].split(".")[:2]); print(20 if v >= (2, 13) else 17)')
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "gpu", torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none")' | tee "$out/versions.txt"
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee -a "$out/versions.txt"
nvcc=$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)

cmake -S engine/layout/tensor -B "$build" -DCMAKE_BUILD_TYPE=Release -DDOCRAY_TENSOR_CXX_STANDARD="$standard" \
    ${prefix:+-DCMAKE_PREFIX_PATH="$prefix"} ${nvcc:+-DCMAKE_CUDA_COMPILER="$nvcc"} -DTORCH_CUDA_ARCH_LIST=9.0 \
    2>&1 | tee "$out/configure.log" | tail -3
cmake --build "$build" -j"$(nproc)" 2>&1 | tee "$out/build.log" | tail -3
set +e
"$build/test_tensor" 2>&1 | tee "$out/test.log"
testStatus=${PIPESTATUS[0]}
"$build/tensor_bench" 2>&1 | tee "$out/bench.log"
benchStatus=${PIPESTATUS[0]}
echo "test_tensor exit $testStatus, tensor_bench exit $benchStatus"
exit $((testStatus || benchStatus))
