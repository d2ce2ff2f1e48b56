package seed

import "math/rand/v2"

// Generated people get plausible generated Chinese names; no real person beyond those the
// reports name is ever produced.
var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国文辉力斌波宇浩凯健俊帆晨瑞博文雪梅琳婷慧颖雯欣怡佳嘉悦梓睿泽宁安康永宏志新海峰亮成光荣春燕丹晶冬云")
)

// rng is the deterministic random source of one generator.
type rng struct{ *rand.Rand }

func newRNG(seed uint64) rng { return rng{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

// name returns a generated Chinese name of two or three characters.
func (r rng) name() string {
	s := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
	if r.IntN(3) > 0 {
		s += string(given[r.IntN(len(given))])
	}
	return s
}

// pick returns one element of xs.
func pick[T any](r rng, xs []T) T { return xs[r.IntN(len(xs))] }
