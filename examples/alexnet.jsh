// d2l-en 0.17, section 7.1 "Deep Convolutional Neural Networks (AlexNet)", cell by cell. Run: ./d2l4j jshell examples/alexnet.jsh

// 7.1.2.1 Architecture
var net = new Sequential(
    // a larger 11x11 window to capture objects; stride 4 to cut the output's height and width
    new Conv2d(1, 96, 11, 4, 1), new ReLU(),
    new MaxPool2d(3, 2),
    // a smaller window, padding 2 to keep height and width, more output channels
    new Conv2d(96, 256, 5, 1, 2), new ReLU(),
    new MaxPool2d(3, 2),
    // three successive convolutions with smaller windows
    new Conv2d(256, 384, 3, 1, 1), new ReLU(),
    new Conv2d(384, 384, 3, 1, 1), new ReLU(),
    new Conv2d(384, 256, 3, 1, 1), new ReLU(),
    new MaxPool2d(3, 2),
    new Flatten(),
    // fully connected layers with dropout against overfitting
    new Linear(6400, 4096), new ReLU(), new Dropout(0.5f),
    new Linear(4096, 4096), new ReLU(), new Dropout(0.5f),
    new Linear(4096, 10));

var X = new Variable(rand(1, 1, 224, 224));
printShapes(net, X);

// 7.1.4 Training (a quick run: 128 images resized to 224, 1 epoch; the book: all, 10 epochs, lr 0.01)
var data = loadDataFashionMnist(64, 224, 128, 64);
var result = trainCh6(net, data, 1, 0.01f);
System.out.println("quick run: loss " + String.format("%.3f", result.last().trainLoss()) + ", test acc " + String.format("%.3f", result.last().testAcc()));
/exit
