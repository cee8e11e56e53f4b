/** Fashion-MNIST: finding, downloading and checking its IDX files, and batching them for training. */
package d2l4j.zoo.data;
