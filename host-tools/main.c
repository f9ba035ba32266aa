/* uvsecret: placeholder until the command line lands. */
#include <stdio.h>
int main(void)
{
    fputs("uvsecret: not built yet\n", stderr);
    return 1;
}
