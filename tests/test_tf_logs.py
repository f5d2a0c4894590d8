"""TensorFlow's C++ log lines stay off the terminal; our own messages and fatal lines do not."""

import os

from seq2seq import tf_logs

# as TensorFlow 2.21 prints them on this machine's CPU
NOISE = [
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    b"I0000 00:00:1796584921.443646    2640 port.cc:153] oneDNN custom operations are on. You "
    b"may see slightly different numerical results due to floating-point round-off errors.",
    b"E0000 00:00:1796585004.072905    2752 util.cc:131] oneDNN supports DT_BOOL only on "
    b"platforms with AVX-512. Falling back to the default Eigen-based implementation if present.",
    b"W0000 00:00:1796585004.072905    2752 cuda_dnn.cc:8] some GPU warning",
    b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.",  # LiteRT, once per interpreter
]


def run_filter(data: bytes) -> bytes:
    source_read, source_write = os.pipe()
    sink_read, sink_write = os.pipe()
    os.write(source_write, data)
    os.close(source_write)
    tf_logs.filter_stream(source_read, sink_write)
    os.close(source_read)
    os.close(sink_write)
    with os.fdopen(sink_read, "rb") as sink:
        return sink.read()


def test_filter_drops_tensorflow_lines_and_keeps_the_rest():
    ours = [b"line 5: unknown characters (translated as <unk>): '\xd0\xb6'",
            b"Error: not a TensorFlow line", b"WARNING: yours to read",
            b"F0000 00:00:1.0    1 check.cc:9] a fatal TensorFlow line still shows"]
    text = b"\n".join([NOISE[0], ours[0], NOISE[1], ours[1], NOISE[2], ours[2], NOISE[3],
                       ours[3], NOISE[4]]) + b"\n\rprogress 3/4"
    assert run_filter(text) == b"\n".join(ours) + b"\n\rprogress 3/4"


# `seq2seq translate` in a bare environment prints nothing else on stderr: test_readme.py checks
# it on the README's translate commands (check_translate), and test_repl.py on the prompt.
