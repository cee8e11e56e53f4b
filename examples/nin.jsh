// d2l-en 0.17, section 7.3 "Network in Network (NiN)", cell by cell. Run: ./d2l4j jshell examples/nin.jsh

// 7.3.1 NiN blocks: one convolution, then two 1x1 convolutions acting as per-pixel fully connected layers
Sequential ninBlock(int inChannels, int outChannels, int kernelSize, int strides, int padding) {
    return new Sequential(
        new Conv2d(inChannels, outChannels, kernelSize, strides, padding), new ReLU(),
        new Conv2d(outChannels, outChannels, 1, 1, 0), new ReLU(),
        new Conv2d(outChannels, outChannels, 1, 1, 0), new ReLU());
}

// 7.3.2 NiN model
var net = new Sequential(
    ninBlock(1, 96, 11, 4, 0),
    new MaxPool2d(3, 2),
    ninBlock(96, 256, 5, 1, 2),
    new MaxPool2d(3, 2),
    ninBlock(256, 384, 3, 1, 1),
    new MaxPool2d(3, 2),
    new Dropout(0.5f),
    // there are 10 label classes
    ninBlock(384, 10, 3, 1, 1),
    new AdaptiveAvgPool2d(1, 1),
    // the four-dimensional output becomes two-dimensional, of shape (batch size, 10)
    new Flatten());

var X = new Variable(rand(1, 1, 224, 224));
printShapes(net, X);

// 7.3.3 Training (a quick run: 128 images resized to 224, 1 epoch; the book: all, 10 epochs, lr 0.1)
var data = loadDataFashionMnist(64, 224, 128, 64);
var result = trainCh6(net, data, 1, 0.1f);
System.out.println("quick run: loss " + String.format("%.3f", result.last().trainLoss()) + ", test acc " + String.format("%.3f", result.last().testAcc()));
/exit
