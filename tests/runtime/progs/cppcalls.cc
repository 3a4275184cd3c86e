// A C++ program for the cpp: uprobe tests: a method and two overloads in
// a namespace, called 3, 3 and 6 times.
#include <cstdio>
#include <unistd.h>

namespace shapes {
struct Circle {
	double r;
	__attribute__((noinline)) double area(int scale) const
	{
		asm volatile("");
		return 3 * r * r * scale;
	}
};
__attribute__((noinline)) int count(int x)
{
	asm volatile("");
	return x + 1;
}
__attribute__((noinline)) int count(const char *s)
{
	asm volatile("");
	return s[0];
}
} // namespace shapes

int main()
{
	usleep(300000); // time for the tracer to attach
	shapes::Circle c{2};
	double t = 0;
	for (int i = 0; i < 3; i++)
		t += c.area(i) + shapes::count(i) + shapes::count("x") + shapes::count("y");
	fprintf(stderr, "%f\n", t); // stdout is the tracer's
}
