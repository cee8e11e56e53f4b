// d2l-en 0.17, section 6.6 "Convolutional Neural Networks (LeNet)", cell by cell. Run: ./d2l4j jshell examples/lenet.jsh

// 6.6.1 LeNet
var net = new Sequential(
    new Conv2d(1, 6, 5, 1, 2), new Sigmoid(),
    new AvgPool2d(2, 2),
    new Conv2d(6, 16, 5, 1, 0), new Sigmoid(),
    new AvgPool2d(2, 2),
    new Flatten(),
    new Linear(16 * 5 * 5, 120), new Sigmoid(),
    new Linear(120, 84), new Sigmoid(),
    new Linear(84, 10));

var X = new Variable(rand(1, 1, 28, 28));
printShapes(net, X);

// 6.6.2 Training (a quick run: 2000 images, 1 epoch; the book: all 60000, 10 epochs, lr 0.9)
var data = loadDataFashionMnist(256, 28, 2000, 1000);
var result = trainCh6(net, data, 1, 0.9f);
System.out.println("quick run: loss " + String.format("%.3f", result.last().trainLoss()) + ", test acc " + String.format("%.3f", result.last().testAcc()));
/exit
