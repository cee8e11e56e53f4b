/**
 * Files: safetensors (the format of PyTorch's and Hugging Face's weights) read with every size checked against
 * the file before anything is allocated, and written atomically; the small JSON reader and writer its header
 * needs.
 */
package d2l4j.tensor.io;
